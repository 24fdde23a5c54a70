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


@pytest.fixture(scope="module")
def identifier() -> LanguageIdentifier:
    ident = LanguageIdentifier.from_pickled_model(MODEL_FILE, norm_probs=True)
    ident.set_languages(["es", "en"])
    return ident


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("language", "message", "expected"),
    [("es", m, e) for m, e in SPANISH] + [("en", m, e) for m, e in ENGLISH],
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
    assert "Revisado el" in reply


@pytest.mark.e2e
def test_language_switch_is_kept_for_short_messages(conversation: Conversation, identifier: LanguageIdentifier) -> None:
    conversation.say_text("hola")
    switched = conversation.say_text("english please")
    assert identifier.classify(switched)[0] == "en", switched
    reply = conversation.say_text("ok")
    assert identifier.classify(reply)[0] == "en", reply


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
