"""End to end: real messages to the REST channel of the running assistant.

Each reply must name the institution that handles the question and be in the language of the
question. Contacts in replies must be the directory's.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from actions.directory import load_directory
from tests.e2e.conftest import Conversation

ROOT = Path(__file__).resolve().parents[2]
DIRECTORY = load_directory(ROOT / "directory" / "referral_directory.yml")

SPANISH = [
    ("hola buenas, como le hago para pedir asilo aca en mexico", "COMAR"),
    ("nos amenazaron de muerte en honduras y ya no podemos volver, que hacemos", "COMAR"),
    ("se me vencio la tarjeta de visitante y no se como renovarla", "INM"),
    ("como saco el permiso para trabajar si soy extranjero", "INM"),
    ("encontre a un niño de 12 años solo en la central de autobuses, a quien aviso", "Procuraduría"),
    ("mi sobrina de 16 viene sin papas desde guatemala, quien la protege", "Procuraduría"),
    ("migracion tiene encerrados a mis hijos en la estacion migratoria", "DIF"),
    ("un policia federal me quito mi dinero y me golpeo, donde me quejo", "CNDH"),
    ("en la clinica no quisieron atender a mi bebe por ser venezolana", "CONAPRED"),
    ("nos asaltaron y secuestraron en el camino, necesitamos apoyo legal y psicologico", "CEAV"),
    ("ya no quiero seguir, quiero regresar a el salvador pero no tengo dinero", "OIM"),
    ("no tenemos donde dormir esta noche, hay algun albergue", "ACNUR"),
    ("que es la comision de proteccion de niñez migrante", "SIPINNA"),
    ("que instituciones forman parte de esa comision", "UNICEF"),
    ("que hace la cndh", "Comisión Nacional de los Derechos Humanos"),
    ("dame el telefono de la conapred porfa", "800 543 0033"),
    ("donde queda la comar en tapachula", "Tapachula"),
    ("cuantos dias tengo para pedir refugio desde que entre", "30"),
    ("un licenciado me cobra por sacar mi cita en comar rapido, es cierto", "gratis"),
    ("con la constancia me puedo ir a trabajar a monterrey?", "estado"),
    ("quien decide que es lo mejor para mi hijo si nos quieren regresar", "Procuraduría"),
    ("eres una persona o un robot", "automático"),
]

ENGLISH = [
    ("hi, how can i apply for asylum in mexico", "COMAR"),
    ("gangs threatened to kill my family back home, can we get protection here", "COMAR"),
    ("my humanitarian visa expired last month, what do i do", "INM"),
    ("how do i get a permit to work legally in mexico", "INM"),
    ("we found a 13 year old boy travelling alone at the shelter, who do we notify", "Procuraduría"),
    ("my nephew is 15 and crossed without his parents, who can protect him", "Procuraduría"),
    ("immigration is holding my kids in a detention center", "DIF"),
    ("a national guard officer took my money and hit me, where can i complain", "CNDH"),
    ("the school refused to enroll my daughter because we are haitian", "CONAPRED"),
    ("we were robbed and kidnapped on the way, we need legal and psychological help", "CEAV"),
    ("i want to go back to guatemala but i have no money for the ticket", "IOM"),
    ("we have nowhere to sleep tonight, is there a shelter", "UNHCR"),
    ("what is the commission for migrant children", "SIPINNA"),
    ("which institutions are part of the commission", "UNICEF"),
    ("what does the cndh do", "National Human Rights Commission"),
    ("give me the phone number of conapred please", "800 543 0033"),
    ("where is the comar office in tapachula", "Tapachula"),
    ("how many days do i have to ask for asylum after entering", "30"),
    ("a lawyer wants 300 dollars to speed up my comar appointment, is that legit", "free"),
    ("with my constancia can i move to monterrey for work", "state"),
    ("who decides what is best for my son if they want to send him back", "Procuraduría"),
    ("are you a real person or a bot", "automated"),
]


FRENCH = [
    ("bonjour, comment je fais pour demander l'asile au mexique", "COMAR"),
    ("des gangs ont menace de tuer ma famille chez nous, on peut avoir une protection ici", "COMAR"),
    ("ma carte humanitaire a expire le mois dernier, je fais quoi", "INM"),
    ("on a trouve un garcon de 13 ans qui voyage seul au foyer, on previent qui", "Procuraduría"),
    ("la police m'a pris mon argent et m'a frappe, ou je peux porter plainte", "CNDH"),
    ("on nous a attaques et voles sur la route, on a besoin d'aide juridique et psychologique", "CEAV"),
    ("je veux rentrer en haiti mais je n'ai pas d'argent pour le billet", "OIM"),
    ("on n'a nulle part ou dormir ce soir, il y a un foyer?", "HCR"),
    ("c'est quoi la commission pour les enfants migrants", "SIPINNA"),
    ("combien de jours j'ai pour demander l'asile apres mon entree", "30"),
    ("je veux aller aux etats unis, est ce que je peux demander l'asile americain depuis ici", "Mexique"),
    ("l'ecole ne veut pas inscrire mon fils parce qu'il n'a pas de papiers", "école"),
    ("on m'a vole mon passeport en chemin, je peux quand meme demander l'asile", "COMAR"),
    ("un avocat demande 300 dollars pour accelerer mon dossier a la comar, c'est vrai", "gratuit"),
]

CREOLE = [
    ("bonjou, kijan pou m fe demann azil nan meksik", "COMAR"),
    ("gang yo menase pou yo touye fanmi m lakay, eske nou ka jwenn pwoteksyon isit la", "COMAR"),
    ("kat imanite m nan ekspire mwa pase a, kisa pou m fe", "INM"),
    ("nou jwenn yon ti gason 13 an k ap vwayaje poukont li nan abri a, ki moun pou nou avize", "Procuraduría"),
    ("lapolis pran lajan m epi li bat mwen, ki kote m ka pote plent", "CNDH"),
    ("yo atake nou epi yo vole nou sou wout la, nou bezwen ed legal ak sikolojik", "CEAV"),
    ("mwen vle retounen ann ayiti men m pa gen kob pou tike a", "OIM"),
    ("nou pa gen kote pou n domi aswe a, eske gen yon abri", "ACNUR"),
    ("kisa komisyon pou timoun migran yo ye", "SIPINNA"),
    ("konbyen jou m genyen pou m mande azil apre m antre", "30"),
    ("mwen vle ale etazini, eske m ka mande azil ameriken depi isit la", "Meksik"),
    ("lekol la pa vle enskri pitit mwen paske li pa gen papye", "lekòl"),
    ("yo vole paspo m ak tout papye m yo sou wout la, kisa pou m fe kounye a", "COMAR"),
    ("yon avoka mande m 300 dola pou l fe dosye m nan comar mache pi vit, eske se vre", "gratis"),
]

BETWEEN = [
    ("es", "quiero cruzar a estados unidos, puedo pedir asilo gringo desde aqui", "México"),
    ("es", "en la escuela no quieren inscribir a mi hija porque no tiene papeles", "escuela"),
    ("es", "me robaron el pasaporte en el camino, todavia puedo pedir refugio", "COMAR"),
    ("en", "i want to go to the united states, can i ask for us asylum from here", "Mexico"),
    ("en", "the clinic wont see my son because he has no papers", "medical care"),
    ("en", "my passport was stolen on the way, can i still ask for asylum", "COMAR"),
]


@pytest.fixture(scope="module")
def identifier() -> LanguageIdentifier:
    ident = LanguageIdentifier.from_pickled_model(MODEL_FILE, norm_probs=True)
    ident.set_languages(["es", "en", "fr", "ht"])
    return ident


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("language", "message", "expected"),
    [("es", m, e) for m, e in SPANISH] + [("en", m, e) for m, e in ENGLISH]
    + [("fr", m, e) for m, e in FRENCH] + [("ht", m, e) for m, e in CREOLE] + BETWEEN,
)
def test_reply_names_the_institution_in_the_askers_language(
    conversation: Conversation, identifier: LanguageIdentifier, language: str, message: str, expected: str
) -> None:
    reply = conversation.say_text(message)
    assert expected in reply, reply
    assert identifier.classify(reply)[0] == language, reply


@pytest.mark.e2e
def test_follow_up_contacts_use_the_topic_and_the_directory(conversation: Conversation) -> None:
    conversation.say_text("quiero pedir refugio")
    reply = conversation.say_text("y a que numero llamo?")
    comar = DIRECTORY.get("comar")
    assert comar is not None
    assert comar.phones[0].number in reply
    assert "Fuentes (con su fecha):" in reply


@pytest.mark.e2e
def test_language_switch_is_kept_for_short_messages(conversation: Conversation, identifier: LanguageIdentifier) -> None:
    conversation.say_text("hola")
    switched = conversation.say_text("english please")
    assert identifier.classify(switched)[0] == "en", switched
    reply = conversation.say_text("ok")
    assert identifier.classify(reply)[0] == "en", reply


@pytest.mark.e2e
@pytest.mark.parametrize(("request_text", "code"), [("en français s'il vous plait", "fr"), ("an kreyol souple", "ht")])
def test_switching_to_french_or_creole_is_kept_for_short_messages(
    conversation: Conversation, identifier: LanguageIdentifier, request_text: str, code: str
) -> None:
    conversation.say_text("hola")
    switched = conversation.say_text(request_text)
    assert identifier.classify(switched)[0] == code, switched
    reply = conversation.say_text("ok")
    assert identifier.classify(reply)[0] == code, reply


@pytest.mark.e2e
def test_legal_notice_is_said_once_per_conversation(conversation: Conversation) -> None:
    first = conversation.say_text("como pido asilo")
    second = conversation.say_text("y si ya pasaron 30 dias?")
    notice = "asesoría legal"
    assert notice in first
    assert notice not in second


@pytest.mark.e2e
def test_buttons_carry_payloads(conversation: Conversation) -> None:
    messages = conversation.say("ayuda")
    payloads = [b["payload"] for m in messages for b in m.get("buttons", [])]
    assert "/need_asylum" in payloads


@pytest.mark.e2e
def test_contact_button_of_a_routing_answer_works(conversation: Conversation) -> None:
    messages = conversation.say("quiero pedir asilo")
    payloads = [b["payload"] for m in messages for b in m.get("buttons", [])]
    assert '/ask_contacts{"institution":"comar"}' in payloads
    reply = conversation.say_text('/ask_contacts{"institution":"comar"}')
    comar = DIRECTORY.get("comar")
    assert comar is not None and comar.website is not None
    assert comar.website.url in reply


@pytest.mark.e2e
def test_offices_for_a_misspelt_city(conversation: Conversation) -> None:
    reply = conversation.say_text("oficina de la comar en tapachla")
    assert "Centro Multiservicios" in reply


@pytest.mark.e2e
def test_low_confidence_gets_the_topic_menu_not_a_guess(conversation: Conversation) -> None:
    messages = conversation.say("zxqv blorp")
    assert any(m.get("buttons") for m in messages), messages
