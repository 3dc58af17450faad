-- demo-seed.sql - demo organisations (the Dutch ministries) and topics.
-- Run as the owner after the migrations; running it again changes nothing.

INSERT INTO organisations (id, name_nl, name_en, headcount) VALUES
	('az', 'Ministerie van Algemene Zaken', 'Ministry of General Affairs', 400),
	('bzk', 'Ministerie van Binnenlandse Zaken en Koninkrijksrelaties', 'Ministry of the Interior and Kingdom Relations', 6000),
	('bz', 'Ministerie van Buitenlandse Zaken', 'Ministry of Foreign Affairs', 5500),
	('def', 'Ministerie van Defensie', 'Ministry of Defence', 60000),
	('ezk', 'Ministerie van Economische Zaken', 'Ministry of Economic Affairs', 7000),
	('fin', 'Ministerie van Financiën', 'Ministry of Finance', 33000),
	('ienw', 'Ministerie van Infrastructuur en Waterstaat', 'Ministry of Infrastructure and Water Management', 17000),
	('jenv', 'Ministerie van Justitie en Veiligheid', 'Ministry of Justice and Security', 33000),
	('lvvn', 'Ministerie van Landbouw, Visserij, Voedselzekerheid en Natuur', 'Ministry of Agriculture, Fisheries, Food Security and Nature', 8000),
	('ocw', 'Ministerie van Onderwijs, Cultuur en Wetenschap', 'Ministry of Education, Culture and Science', 3000),
	('szw', 'Ministerie van Sociale Zaken en Werkgelegenheid', 'Ministry of Social Affairs and Employment', 2700),
	('vws', 'Ministerie van Volksgezondheid, Welzijn en Sport', 'Ministry of Health, Welfare and Sport', 4500),
	('vro', 'Ministerie van Volkshuisvesting en Ruimtelijke Ordening', 'Ministry of Housing and Spatial Planning', 1200)
ON CONFLICT (id) DO NOTHING;

INSERT INTO topics (id, name_nl, name_en) VALUES
	('racism', 'Racisme', 'Racism'),
	('discrimination', 'Discriminatie', 'Discrimination'),
	('harassment', 'Intimidatie en ongewenst gedrag', 'Harassment and undesirable behaviour'),
	('integrity', 'Integriteitsschending', 'Integrity violation')
ON CONFLICT (id) DO NOTHING;
