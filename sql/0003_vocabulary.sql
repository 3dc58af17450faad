-- 0003_vocabulary.sql - the desk's name and the classification
-- vocabularies of SPEC section 5 (extendable by later migrations).

INSERT INTO desk_info (name_nl, name_en)
VALUES ('Meldpunt discriminatie en integriteit Rijk',
	'Central Government Reporting Desk for Discrimination and Integrity');

INSERT INTO vocabulary (kind, id, name_nl, name_en) VALUES
	('category', 'racism', 'Racisme', 'Racism'),
	('category', 'discrimination', 'Discriminatie', 'Discrimination'),
	('category', 'sexual_harassment', 'Seksuele intimidatie', 'Sexual harassment'),
	('category', 'bullying', 'Pesten', 'Bullying'),
	('category', 'aggression', 'Agressie en geweld', 'Aggression and violence'),
	('category', 'integrity', 'Integriteitsschending', 'Integrity violation'),
	('category', 'other', 'Overig', 'Other'),
	('ground', 'origin_race', 'Afkomst of ras', 'Origin or race'),
	('ground', 'religion_belief', 'Godsdienst of levensovertuiging', 'Religion or belief'),
	('ground', 'sex', 'Geslacht', 'Sex'),
	('ground', 'sexual_orientation', 'Seksuele gerichtheid', 'Sexual orientation'),
	('ground', 'gender_identity', 'Genderidentiteit', 'Gender identity'),
	('ground', 'disability_chronic_illness', 'Handicap of chronische ziekte', 'Disability or chronic illness'),
	('ground', 'age', 'Leeftijd', 'Age'),
	('ground', 'nationality', 'Nationaliteit', 'Nationality'),
	('ground', 'political_opinion', 'Politieke gezindheid', 'Political opinion'),
	('ground', 'marital_status', 'Burgerlijke staat', 'Marital status'),
	('ground', 'working_hours_contract', 'Arbeidsduur of soort contract', 'Working hours or type of contract'),
	('ground', 'other', 'Overig', 'Other'),
	('outcome', 'advice', 'Advies', 'Advice'),
	('outcome', 'referral', 'Doorverwijzing', 'Referral'),
	('outcome', 'mediation', 'Bemiddeling', 'Mediation'),
	('outcome', 'formal_complaint', 'Formele klacht', 'Formal complaint'),
	('outcome', 'integrity_report', 'Integriteitsmelding', 'Integrity report'),
	('outcome', 'no_follow_up', 'Geen vervolg', 'No follow-up'),
	('outcome', 'other', 'Overig', 'Other');
