import type { SqlMigration } from '@gemeng/database';

/**
 * The first content of the catalogue: the seven life events and the services communes commonly offer,
 * each with default stages, service norm (working days) and requested documents, in the four platform
 * languages. The operator changes them later with upsertServiceType / retireServiceType.
 */
export const seedServiceCatalogue: SqlMigration = {
  name: '202611230302-seed-service-catalogue',
  sql: `
INSERT INTO platform.life_event (code, position, names) VALUES
  ('moving', 10, '{"lb": "Plënneren", "fr": "Déménagement", "de": "Umzug", "en": "Moving"}'),
  ('marriage', 20, '{"lb": "Bestietnes a Partenariat", "fr": "Mariage et partenariat", "de": "Heirat und Partnerschaft", "en": "Marriage and partnership"}'),
  ('birth', 30, '{"lb": "Gebuert", "fr": "Naissance", "de": "Geburt", "en": "Birth"}'),
  ('retirement', 40, '{"lb": "Pensioun", "fr": "Retraite", "de": "Ruhestand", "en": "Retirement"}'),
  ('death', 50, '{"lb": "Stierffall", "fr": "Décès", "de": "Todesfall", "en": "Death"}'),
  ('building', 60, '{"lb": "Bauen a renovéieren", "fr": "Construire et rénover", "de": "Bauen und Renovieren", "en": "Building and renovating"}'),
  ('business', 70, '{"lb": "Betrib an Handel", "fr": "Entreprise et commerce", "de": "Unternehmen und Handel", "en": "Business"}');

INSERT INTO platform.service_type
  (code, position, life_event_codes, default_norm_days, names, descriptions, default_stages, default_documents)
VALUES
  ('interview', 10, '{}', 10,
   '{"lb": "Entrevue ufroen", "fr": "Demande d''entrevue", "de": "Gesprächsanfrage", "en": "Request an interview"}',
   '{"lb": "Frot en Entretien mat engem Service, engem Schäffen oder dem Buergermeeschter un. D''Gemeng mellt sech, fir e Rendez-vous auszemaachen.", "fr": "Demandez un entretien avec un service, un échevin ou le bourgmestre. La commune revient vers vous pour fixer un rendez-vous.", "de": "Beantragen Sie ein Gespräch mit einer Dienststelle, einem Schöffen oder dem Bürgermeister. Die Gemeinde meldet sich, um einen Termin zu vereinbaren.", "en": "Ask for a meeting with a department, an alderman or the mayor. The commune gets back to you to arrange an appointment."}',
   '[
    {"code": "received", "names": {"lb": "Empfaangen", "fr": "Demande reçue", "de": "Eingegangen", "en": "Received"}, "notifiesCitizen": true, "final": false},
    {"code": "in-review", "names": {"lb": "Gëtt gepréift", "fr": "En cours d''examen", "de": "In Prüfung", "en": "In review"}, "notifiesCitizen": false, "final": false},
    {"code": "appointment", "names": {"lb": "Rendez-vous", "fr": "Rendez-vous fixé", "de": "Termin vereinbart", "en": "Appointment"}, "notifiesCitizen": true, "final": false},
    {"code": "closed", "names": {"lb": "Ofgeschloss", "fr": "Dossier clôturé", "de": "Abgeschlossen", "en": "Closed"}, "notifiesCitizen": true, "final": true}
   ]',
   '[
    {"code": "supporting-document", "names": {"lb": "Dokument fir Är Ufro ze ënnerstëtzen", "fr": "Pièce à l''appui de votre demande", "de": "Unterlage zu Ihrem Anliegen", "en": "Supporting document"}, "required": false}
   ]'),
  ('moving-declaration', 20, '{moving}', 5,
   '{"lb": "Umeldung an Adressännerung", "fr": "Déclaration d''arrivée ou changement d''adresse", "de": "Anmeldung oder Adressänderung", "en": "Moving declaration"}',
   '{"lb": "Mellt Iech bannent aacht Deeg no dem Plënneren un, wann Dir an d''Gemeng plënnert oder bannent der Gemeng Är Adress wiesselt.", "fr": "Déclarez-vous dans les huit jours qui suivent le déménagement, que vous arriviez dans la commune ou changiez d''adresse dans la commune.", "de": "Melden Sie sich innerhalb von acht Tagen nach dem Umzug an, wenn Sie in die Gemeinde ziehen oder innerhalb der Gemeinde umziehen.", "en": "Declare yourself within eight days of moving, whether you arrive in the commune or change address within it."}',
   '[
    {"code": "received", "names": {"lb": "Empfaangen", "fr": "Demande reçue", "de": "Eingegangen", "en": "Received"}, "notifiesCitizen": true, "final": false},
    {"code": "documents-check", "names": {"lb": "Dokumenter ginn iwwerpréift", "fr": "Vérification des pièces", "de": "Prüfung der Unterlagen", "en": "Document check"}, "notifiesCitizen": false, "final": false},
    {"code": "registration", "names": {"lb": "Aschreiwung", "fr": "Inscription au registre", "de": "Eintragung ins Register", "en": "Registration"}, "notifiesCitizen": false, "final": false},
    {"code": "closed", "names": {"lb": "Ofgeschloss", "fr": "Dossier clôturé", "de": "Abgeschlossen", "en": "Closed"}, "notifiesCitizen": true, "final": true}
   ]',
   '[
    {"code": "identity-card", "names": {"lb": "Kopie vun der Identitéitskaart oder vum Pass", "fr": "Copie de la carte d''identité ou du passeport", "de": "Kopie des Personalausweises oder Reisepasses", "en": "Copy of the identity card or passport"}, "required": true},
    {"code": "lease-or-deed", "names": {"lb": "Locatiounskontrakt oder Kafakt", "fr": "Contrat de bail ou acte de vente", "de": "Mietvertrag oder Kaufvertrag", "en": "Lease or deed of sale"}, "required": true}
   ]'),
  ('residence-certificate', 30, '{moving}', 2,
   '{"lb": "Residenzzertifikat", "fr": "Certificat de résidence", "de": "Wohnsitzbescheinigung", "en": "Certificate of residence"}',
   '{"lb": "Kritt e Certificat, deen Är aktuell Adress an der Gemeng bestätegt.", "fr": "Obtenez un certificat qui atteste votre adresse actuelle dans la commune.", "de": "Erhalten Sie eine Bescheinigung Ihres aktuellen Wohnsitzes in der Gemeinde.", "en": "Get a certificate confirming your current address in the commune."}',
   '[
    {"code": "received", "names": {"lb": "Empfaangen", "fr": "Demande reçue", "de": "Eingegangen", "en": "Received"}, "notifiesCitizen": true, "final": false},
    {"code": "closed", "names": {"lb": "Ofgeschloss", "fr": "Dossier clôturé", "de": "Abgeschlossen", "en": "Closed"}, "notifiesCitizen": true, "final": true}
   ]',
   '[
    {"code": "identity-card", "names": {"lb": "Kopie vun der Identitéitskaart oder vum Pass", "fr": "Copie de la carte d''identité ou du passeport", "de": "Kopie des Personalausweises oder Reisepasses", "en": "Copy of the identity card or passport"}, "required": true}
   ]'),
  ('marriage-file', 40, '{marriage}', 30,
   '{"lb": "Bestietnesdossier", "fr": "Dossier de mariage", "de": "Eheschließung anmelden", "en": "Marriage file"}',
   '{"lb": "Reecht d''Dokumenter fir Äert Bestietnes an. D''Gemeng kontrolléiert den Dossier an hält mat Iech den Datum vun der Zeremonie fest.", "fr": "Déposez les pièces de votre mariage. La commune vérifie le dossier et fixe avec vous la date de la cérémonie.", "de": "Reichen Sie die Unterlagen für Ihre Eheschließung ein. Die Gemeinde prüft sie und legt mit Ihnen den Termin der Trauung fest.", "en": "Submit the documents for your marriage. The commune checks the file and sets the date of the ceremony with you."}',
   '[
    {"code": "received", "names": {"lb": "Empfaangen", "fr": "Demande reçue", "de": "Eingegangen", "en": "Received"}, "notifiesCitizen": true, "final": false},
    {"code": "documents-check", "names": {"lb": "Dokumenter ginn iwwerpréift", "fr": "Vérification des pièces", "de": "Prüfung der Unterlagen", "en": "Document check"}, "notifiesCitizen": false, "final": false},
    {"code": "ceremony-date", "names": {"lb": "Datum vun der Zeremonie", "fr": "Date de la cérémonie", "de": "Trauungstermin", "en": "Ceremony date"}, "notifiesCitizen": true, "final": false},
    {"code": "closed", "names": {"lb": "Ofgeschloss", "fr": "Dossier clôturé", "de": "Abgeschlossen", "en": "Closed"}, "notifiesCitizen": true, "final": true}
   ]',
   '[
    {"code": "identity-card", "names": {"lb": "Kopie vun der Identitéitskaart oder vum Pass", "fr": "Copie de la carte d''identité ou du passeport", "de": "Kopie des Personalausweises oder Reisepasses", "en": "Copy of the identity card or passport"}, "required": true},
    {"code": "birth-certificate", "names": {"lb": "Gebuertsakt", "fr": "Acte de naissance", "de": "Geburtsurkunde", "en": "Birth certificate"}, "required": true},
    {"code": "residence-certificate", "names": {"lb": "Residenzzertifikat", "fr": "Certificat de résidence", "de": "Wohnsitzbescheinigung", "en": "Certificate of residence"}, "required": true},
    {"code": "certificate-of-custom", "names": {"lb": "Certificat de coutume", "fr": "Certificat de coutume", "de": "Ehefähigkeitszeugnis", "en": "Certificate of no impediment"}, "required": false}
   ]'),
  ('civil-partnership', 50, '{marriage}', 15,
   '{"lb": "Partenariat deklaréieren", "fr": "Déclaration de partenariat", "de": "Partnerschaftserklärung", "en": "Civil partnership declaration"}',
   '{"lb": "Deklaréiert Äre Partenariat bei der Gemeng; si schéckt en un de Parquet général fir d''Aschreiwung.", "fr": "Déclarez votre partenariat auprès de la commune, qui le transmet au Parquet général pour inscription.", "de": "Erklären Sie Ihre Partnerschaft bei der Gemeinde; sie leitet die Erklärung zur Eintragung an die Generalstaatsanwaltschaft weiter.", "en": "Declare your civil partnership at the commune, which forwards it to the State Prosecutor General for registration."}',
   '[
    {"code": "received", "names": {"lb": "Empfaangen", "fr": "Demande reçue", "de": "Eingegangen", "en": "Received"}, "notifiesCitizen": true, "final": false},
    {"code": "documents-check", "names": {"lb": "Dokumenter ginn iwwerpréift", "fr": "Vérification des pièces", "de": "Prüfung der Unterlagen", "en": "Document check"}, "notifiesCitizen": false, "final": false},
    {"code": "registration", "names": {"lb": "Aschreiwung", "fr": "Inscription au registre", "de": "Eintragung ins Register", "en": "Registration"}, "notifiesCitizen": false, "final": false},
    {"code": "closed", "names": {"lb": "Ofgeschloss", "fr": "Dossier clôturé", "de": "Abgeschlossen", "en": "Closed"}, "notifiesCitizen": true, "final": true}
   ]',
   '[
    {"code": "identity-card", "names": {"lb": "Kopie vun der Identitéitskaart oder vum Pass", "fr": "Copie de la carte d''identité ou du passeport", "de": "Kopie des Personalausweises oder Reisepasses", "en": "Copy of the identity card or passport"}, "required": true},
    {"code": "birth-certificate", "names": {"lb": "Gebuertsakt", "fr": "Acte de naissance", "de": "Geburtsurkunde", "en": "Birth certificate"}, "required": true}
   ]'),
  ('birth-declaration', 60, '{birth}', 3,
   '{"lb": "Gebuert deklaréieren", "fr": "Déclaration de naissance", "de": "Geburtsanzeige", "en": "Birth declaration"}',
   '{"lb": "Deklaréiert d''Gebuert vun Ärem Kand bannent fënnef Deeg bei der Gemeng, wou d''Kand gebuer ass.", "fr": "Déclarez la naissance de votre enfant dans les cinq jours auprès de la commune du lieu de naissance.", "de": "Zeigen Sie die Geburt Ihres Kindes innerhalb von fünf Tagen bei der Gemeinde des Geburtsortes an.", "en": "Declare the birth of your child within five days at the commune where the child was born."}',
   '[
    {"code": "received", "names": {"lb": "Empfaangen", "fr": "Demande reçue", "de": "Eingegangen", "en": "Received"}, "notifiesCitizen": true, "final": false},
    {"code": "registration", "names": {"lb": "Aschreiwung", "fr": "Inscription au registre", "de": "Eintragung ins Register", "en": "Registration"}, "notifiesCitizen": false, "final": false},
    {"code": "closed", "names": {"lb": "Ofgeschloss", "fr": "Dossier clôturé", "de": "Abgeschlossen", "en": "Closed"}, "notifiesCitizen": true, "final": true}
   ]',
   '[
    {"code": "identity-card", "names": {"lb": "Kopie vun der Identitéitskaart oder vum Pass", "fr": "Copie de la carte d''identité ou du passeport", "de": "Kopie des Personalausweises oder Reisepasses", "en": "Copy of the identity card or passport"}, "required": true},
    {"code": "birth-attestation", "names": {"lb": "Gebuertsattest vun der Maternitéit", "fr": "Attestation de naissance de la maternité", "de": "Geburtsbescheinigung der Entbindungsstation", "en": "Birth attestation from the maternity ward"}, "required": true},
    {"code": "recognition-act", "names": {"lb": "Unerkennungsakt (wann d''Elteren net bestuet sinn)", "fr": "Acte de reconnaissance (parents non mariés)", "de": "Anerkennungsurkunde (unverheiratete Eltern)", "en": "Deed of recognition (unmarried parents)"}, "required": false}
   ]'),
  ('childcare-enrolment', 70, '{birth}', 20,
   '{"lb": "Aschreiwung an d''Crèche oder d''Maison relais", "fr": "Inscription en crèche ou maison relais", "de": "Anmeldung in Kinderkrippe oder Maison relais", "en": "Enrolment in a crèche or maison relais"}',
   '{"lb": "Schreift Äert Kand an eng Crèche oder eng Maison relais vun der Gemeng an.", "fr": "Inscrivez votre enfant dans une crèche ou une maison relais de la commune.", "de": "Melden Sie Ihr Kind in einer Kinderkrippe oder Maison relais der Gemeinde an.", "en": "Enrol your child in one of the commune''s crèches or maisons relais."}',
   '[
    {"code": "received", "names": {"lb": "Empfaangen", "fr": "Demande reçue", "de": "Eingegangen", "en": "Received"}, "notifiesCitizen": true, "final": false},
    {"code": "in-review", "names": {"lb": "Gëtt gepréift", "fr": "En cours d''examen", "de": "In Prüfung", "en": "In review"}, "notifiesCitizen": false, "final": false},
    {"code": "closed", "names": {"lb": "Ofgeschloss", "fr": "Dossier clôturé", "de": "Abgeschlossen", "en": "Closed"}, "notifiesCitizen": true, "final": true}
   ]',
   '[
    {"code": "identity-card", "names": {"lb": "Kopie vun der Identitéitskaart oder vum Pass", "fr": "Copie de la carte d''identité ou du passeport", "de": "Kopie des Personalausweises oder Reisepasses", "en": "Copy of the identity card or passport"}, "required": true},
    {"code": "birth-certificate", "names": {"lb": "Gebuertsakt", "fr": "Acte de naissance", "de": "Geburtsurkunde", "en": "Birth certificate"}, "required": true},
    {"code": "employment-certificate", "names": {"lb": "Aarbechtsattest vun den Elteren", "fr": "Certificat de travail des parents", "de": "Arbeitsbescheinigung der Eltern", "en": "Parents'' employment certificate"}, "required": false}
   ]'),
  ('retirement-information', 80, '{retirement}', 10,
   '{"lb": "Informatioun iwwer d''Pensioun", "fr": "Information retraite", "de": "Beratung zum Ruhestand", "en": "Retirement information"}',
   '{"lb": "Frot e Gespréich mam Sozialamt iwwer Är Pensioun, d''Hëllefen an d''Servicer fir Senioren an der Gemeng.", "fr": "Demandez un entretien avec l''office social sur votre retraite, les aides et les services aux seniors de la commune.", "de": "Vereinbaren Sie ein Gespräch mit dem Sozialamt über Ihren Ruhestand, Hilfen und die Seniorendienste der Gemeinde.", "en": "Ask for a meeting with the social office about your retirement, allowances and the commune''s services for seniors."}',
   '[
    {"code": "received", "names": {"lb": "Empfaangen", "fr": "Demande reçue", "de": "Eingegangen", "en": "Received"}, "notifiesCitizen": true, "final": false},
    {"code": "in-review", "names": {"lb": "Gëtt gepréift", "fr": "En cours d''examen", "de": "In Prüfung", "en": "In review"}, "notifiesCitizen": false, "final": false},
    {"code": "appointment", "names": {"lb": "Rendez-vous", "fr": "Rendez-vous fixé", "de": "Termin vereinbart", "en": "Appointment"}, "notifiesCitizen": true, "final": false},
    {"code": "closed", "names": {"lb": "Ofgeschloss", "fr": "Dossier clôturé", "de": "Abgeschlossen", "en": "Closed"}, "notifiesCitizen": true, "final": true}
   ]',
   '[
    {"code": "identity-card", "names": {"lb": "Kopie vun der Identitéitskaart oder vum Pass", "fr": "Copie de la carte d''identité ou du passeport", "de": "Kopie des Personalausweises oder Reisepasses", "en": "Copy of the identity card or passport"}, "required": true},
    {"code": "career-statement", "names": {"lb": "Carrièresrelevé vun der CNAP", "fr": "Relevé de carrière de la CNAP", "de": "Versicherungsverlauf der CNAP", "en": "Career statement from the CNAP"}, "required": false}
   ]'),
  ('meals-on-wheels', 90, '{retirement}', 5,
   '{"lb": "Iessen op Rieder", "fr": "Repas sur roues", "de": "Essen auf Rädern", "en": "Meals on wheels"}',
   '{"lb": "Loosst Iech all Dag eng waarm Moolzecht heem liwweren.", "fr": "Faites-vous livrer un repas chaud à domicile chaque jour.", "de": "Lassen Sie sich täglich eine warme Mahlzeit nach Hause liefern.", "en": "Have a hot meal delivered to your home every day."}',
   '[
    {"code": "received", "names": {"lb": "Empfaangen", "fr": "Demande reçue", "de": "Eingegangen", "en": "Received"}, "notifiesCitizen": true, "final": false},
    {"code": "in-review", "names": {"lb": "Gëtt gepréift", "fr": "En cours d''examen", "de": "In Prüfung", "en": "In review"}, "notifiesCitizen": false, "final": false},
    {"code": "closed", "names": {"lb": "Ofgeschloss", "fr": "Dossier clôturé", "de": "Abgeschlossen", "en": "Closed"}, "notifiesCitizen": true, "final": true}
   ]',
   '[
    {"code": "identity-card", "names": {"lb": "Kopie vun der Identitéitskaart oder vum Pass", "fr": "Copie de la carte d''identité ou du passeport", "de": "Kopie des Personalausweises oder Reisepasses", "en": "Copy of the identity card or passport"}, "required": true}
   ]'),
  ('death-declaration', 100, '{death}', 2,
   '{"lb": "Stierffall deklaréieren", "fr": "Déclaration de décès", "de": "Sterbefallanzeige", "en": "Death declaration"}',
   '{"lb": "Deklaréiert de Stierffall vun engem Familljemember bei der Gemeng, wou d''Persoun gestuerwen ass; d''Gemeng stellt den Doudesakt aus.", "fr": "Déclarez le décès d''un proche auprès de la commune du lieu du décès ; la commune établit l''acte de décès.", "de": "Zeigen Sie den Tod eines Angehörigen bei der Gemeinde des Sterbeortes an; sie stellt die Sterbeurkunde aus.", "en": "Declare the death of a relative at the commune where it occurred; the commune draws up the death certificate."}',
   '[
    {"code": "received", "names": {"lb": "Empfaangen", "fr": "Demande reçue", "de": "Eingegangen", "en": "Received"}, "notifiesCitizen": true, "final": false},
    {"code": "registration", "names": {"lb": "Aschreiwung", "fr": "Inscription au registre", "de": "Eintragung ins Register", "en": "Registration"}, "notifiesCitizen": false, "final": false},
    {"code": "closed", "names": {"lb": "Ofgeschloss", "fr": "Dossier clôturé", "de": "Abgeschlossen", "en": "Closed"}, "notifiesCitizen": true, "final": true}
   ]',
   '[
    {"code": "medical-death-certificate", "names": {"lb": "Doudesschäin vum Dokter", "fr": "Certificat médical de décès", "de": "Ärztliche Todesbescheinigung", "en": "Medical certificate of death"}, "required": true},
    {"code": "deceased-identity-card", "names": {"lb": "Identitéitskaart vun der verstuerwener Persoun", "fr": "Carte d''identité de la personne décédée", "de": "Personalausweis der verstorbenen Person", "en": "Identity card of the deceased"}, "required": true},
    {"code": "identity-card", "names": {"lb": "Kopie vun der Identitéitskaart oder vum Pass", "fr": "Copie de la carte d''identité ou du passeport", "de": "Kopie des Personalausweises oder Reisepasses", "en": "Copy of the identity card or passport"}, "required": true}
   ]'),
  ('burial-concession', 110, '{death}', 15,
   '{"lb": "Grafkonzessioun", "fr": "Concession de sépulture", "de": "Grabkonzession", "en": "Grave concession"}',
   '{"lb": "Frot eng Konzessioun fir e Graf op engem Kierfecht vun der Gemeng un oder verlängert se.", "fr": "Demandez ou renouvelez une concession de sépulture dans un cimetière de la commune.", "de": "Beantragen oder verlängern Sie eine Grabkonzession auf einem Friedhof der Gemeinde.", "en": "Apply for or renew a grave concession in one of the commune''s cemeteries."}',
   '[
    {"code": "received", "names": {"lb": "Empfaangen", "fr": "Demande reçue", "de": "Eingegangen", "en": "Received"}, "notifiesCitizen": true, "final": false},
    {"code": "in-review", "names": {"lb": "Gëtt gepréift", "fr": "En cours d''examen", "de": "In Prüfung", "en": "In review"}, "notifiesCitizen": false, "final": false},
    {"code": "closed", "names": {"lb": "Ofgeschloss", "fr": "Dossier clôturé", "de": "Abgeschlossen", "en": "Closed"}, "notifiesCitizen": true, "final": true}
   ]',
   '[
    {"code": "identity-card", "names": {"lb": "Kopie vun der Identitéitskaart oder vum Pass", "fr": "Copie de la carte d''identité ou du passeport", "de": "Kopie des Personalausweises oder Reisepasses", "en": "Copy of the identity card or passport"}, "required": true},
    {"code": "death-certificate", "names": {"lb": "Doudesakt", "fr": "Acte de décès", "de": "Sterbeurkunde", "en": "Death certificate"}, "required": false}
   ]'),
  ('building-permit', 120, '{building}', 60,
   '{"lb": "Bautegenehmegung", "fr": "Autorisation de bâtir", "de": "Baugenehmigung", "en": "Building permit"}',
   '{"lb": "Frot eng Autorisatioun un, fir e Gebai ze bauen, ëmzebauen oder ofzerappen.", "fr": "Demandez l''autorisation de construire, de transformer ou de démolir un bâtiment.", "de": "Beantragen Sie die Genehmigung, ein Gebäude zu errichten, umzubauen oder abzureißen.", "en": "Apply for permission to build, convert or demolish a building."}',
   '[
    {"code": "received", "names": {"lb": "Empfaangen", "fr": "Demande reçue", "de": "Eingegangen", "en": "Received"}, "notifiesCitizen": true, "final": false},
    {"code": "documents-check", "names": {"lb": "Dokumenter ginn iwwerpréift", "fr": "Vérification des pièces", "de": "Prüfung der Unterlagen", "en": "Document check"}, "notifiesCitizen": false, "final": false},
    {"code": "technical-review", "names": {"lb": "Technesch Analys", "fr": "Analyse technique", "de": "Technische Prüfung", "en": "Technical review"}, "notifiesCitizen": false, "final": false},
    {"code": "decision", "names": {"lb": "Decisioun", "fr": "Décision", "de": "Entscheidung", "en": "Decision"}, "notifiesCitizen": true, "final": true}
   ]',
   '[
    {"code": "identity-card", "names": {"lb": "Kopie vun der Identitéitskaart oder vum Pass", "fr": "Copie de la carte d''identité ou du passeport", "de": "Kopie des Personalausweises oder Reisepasses", "en": "Copy of the identity card or passport"}, "required": true},
    {"code": "plans", "names": {"lb": "Pläng vum Projet", "fr": "Plans du projet", "de": "Baupläne", "en": "Plans of the project"}, "required": true},
    {"code": "cadastral-map", "names": {"lb": "Katasterplang", "fr": "Plan cadastral", "de": "Katasterplan", "en": "Cadastral map"}, "required": true},
    {"code": "energy-performance-certificate", "names": {"lb": "Energiepass", "fr": "Certificat de performance énergétique", "de": "Energiepass", "en": "Energy performance certificate"}, "required": false}
   ]'),
  ('minor-works-declaration', 130, '{building}', 20,
   '{"lb": "Kleng Bauaarbechten deklaréieren", "fr": "Déclaration de petits travaux", "de": "Anzeige kleinerer Bauarbeiten", "en": "Declaration of minor works"}',
   '{"lb": "Deklaréiert kleng Aarbechten, déi keng Bautegenehmegung brauchen: Fassad, Daach, Clôture, Gaardenhaischen.", "fr": "Déclarez les petits travaux qui ne demandent pas d''autorisation de bâtir : façade, toiture, clôture, abri de jardin.", "de": "Zeigen Sie kleinere Arbeiten an, die keine Baugenehmigung brauchen: Fassade, Dach, Zaun, Gartenhaus.", "en": "Declare minor works that need no building permit: façade, roof, fence, garden shed."}',
   '[
    {"code": "received", "names": {"lb": "Empfaangen", "fr": "Demande reçue", "de": "Eingegangen", "en": "Received"}, "notifiesCitizen": true, "final": false},
    {"code": "technical-review", "names": {"lb": "Technesch Analys", "fr": "Analyse technique", "de": "Technische Prüfung", "en": "Technical review"}, "notifiesCitizen": false, "final": false},
    {"code": "decision", "names": {"lb": "Decisioun", "fr": "Décision", "de": "Entscheidung", "en": "Decision"}, "notifiesCitizen": true, "final": true}
   ]',
   '[
    {"code": "identity-card", "names": {"lb": "Kopie vun der Identitéitskaart oder vum Pass", "fr": "Copie de la carte d''identité ou du passeport", "de": "Kopie des Personalausweises oder Reisepasses", "en": "Copy of the identity card or passport"}, "required": true},
    {"code": "photos", "names": {"lb": "Fotoe vum aktuellen Zoustand", "fr": "Photos de l''état actuel", "de": "Fotos des aktuellen Zustands", "en": "Photos of the current state"}, "required": true}
   ]'),
  ('business-permit', 140, '{business}', 30,
   '{"lb": "Autorisatioun fir e Geschäft opzemaachen", "fr": "Autorisation d''ouverture d''un commerce", "de": "Genehmigung zur Geschäftseröffnung", "en": "Business permit"}',
   '{"lb": "Frot d''Autorisatioun vun der Gemeng un, fir e Geschäft oder e Betrib an engem Lokal opzemaachen.", "fr": "Demandez l''autorisation de la commune pour ouvrir un commerce ou une entreprise dans un local.", "de": "Beantragen Sie die Genehmigung der Gemeinde, ein Geschäft oder einen Betrieb in einem Lokal zu eröffnen.", "en": "Apply for the commune''s permission to open a shop or a business in a set of premises."}',
   '[
    {"code": "received", "names": {"lb": "Empfaangen", "fr": "Demande reçue", "de": "Eingegangen", "en": "Received"}, "notifiesCitizen": true, "final": false},
    {"code": "documents-check", "names": {"lb": "Dokumenter ginn iwwerpréift", "fr": "Vérification des pièces", "de": "Prüfung der Unterlagen", "en": "Document check"}, "notifiesCitizen": false, "final": false},
    {"code": "in-review", "names": {"lb": "Gëtt gepréift", "fr": "En cours d''examen", "de": "In Prüfung", "en": "In review"}, "notifiesCitizen": false, "final": false},
    {"code": "decision", "names": {"lb": "Decisioun", "fr": "Décision", "de": "Entscheidung", "en": "Decision"}, "notifiesCitizen": true, "final": true}
   ]',
   '[
    {"code": "identity-card", "names": {"lb": "Kopie vun der Identitéitskaart oder vum Pass", "fr": "Copie de la carte d''identité ou du passeport", "de": "Kopie des Personalausweises oder Reisepasses", "en": "Copy of the identity card or passport"}, "required": true},
    {"code": "business-licence", "names": {"lb": "Autorisatioun d''établissement vum Ministère", "fr": "Autorisation d''établissement du ministère", "de": "Niederlassungsgenehmigung des Ministeriums", "en": "Business licence from the ministry"}, "required": true},
    {"code": "lease-or-deed", "names": {"lb": "Locatiounskontrakt oder Kafakt", "fr": "Contrat de bail ou acte de vente", "de": "Mietvertrag oder Kaufvertrag", "en": "Lease or deed of sale"}, "required": true},
    {"code": "floor-plan", "names": {"lb": "Grondrëss vum Lokal", "fr": "Plan des locaux", "de": "Grundriss der Räume", "en": "Floor plan of the premises"}, "required": false}
   ]'),
  ('terrace-permit', 150, '{business}', 15,
   '{"lb": "Terrass op der ëffentlecher Plaz", "fr": "Autorisation de terrasse", "de": "Terrassengenehmigung", "en": "Terrace permit"}',
   '{"lb": "Frot eng Autorisatioun un, fir eng Terrass um Trottoir oder op enger ëffentlecher Plaz opzestellen.", "fr": "Demandez l''autorisation d''installer une terrasse sur le trottoir ou sur la voie publique.", "de": "Beantragen Sie die Genehmigung für eine Terrasse auf dem Gehweg oder im öffentlichen Raum.", "en": "Apply for permission to set up a terrace on the pavement or in a public space."}',
   '[
    {"code": "received", "names": {"lb": "Empfaangen", "fr": "Demande reçue", "de": "Eingegangen", "en": "Received"}, "notifiesCitizen": true, "final": false},
    {"code": "technical-review", "names": {"lb": "Technesch Analys", "fr": "Analyse technique", "de": "Technische Prüfung", "en": "Technical review"}, "notifiesCitizen": false, "final": false},
    {"code": "decision", "names": {"lb": "Decisioun", "fr": "Décision", "de": "Entscheidung", "en": "Decision"}, "notifiesCitizen": true, "final": true}
   ]',
   '[
    {"code": "identity-card", "names": {"lb": "Kopie vun der Identitéitskaart oder vum Pass", "fr": "Copie de la carte d''identité ou du passeport", "de": "Kopie des Personalausweises oder Reisepasses", "en": "Copy of the identity card or passport"}, "required": true},
    {"code": "site-plan", "names": {"lb": "Plang vun der Terrass", "fr": "Plan d''implantation de la terrasse", "de": "Lageplan der Terrasse", "en": "Site plan of the terrace"}, "required": true},
    {"code": "liability-insurance", "names": {"lb": "Attest vun der Haftpflichtversécherung", "fr": "Attestation d''assurance responsabilité civile", "de": "Nachweis der Haftpflichtversicherung", "en": "Liability insurance certificate"}, "required": true}
   ]');
`,
};
