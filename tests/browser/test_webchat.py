"""The web chat as a family sees it: Chromium at 360x640 against the page `make run` serves."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
TIMEOUT_MS = 30_000


def ask(page: Page, text: str) -> None:
    page.get_by_role("textbox").fill(text)
    page.get_by_role("textbox").press("Enter")


def last_bot_messages(page: Page) -> str:
    return "\n".join(page.locator(".sc-bot .sc-text").all_inner_texts())


def test_spanish_question_about_asylum_names_comar(page: Page) -> None:
    expect(page.locator(".sc-privacy")).to_be_visible()
    ask(page, "como pido asilo en mexico")
    expect(page.locator(".sc-bot .sc-text").first).to_contain_text("COMAR", timeout=TIMEOUT_MS)
    expect(page.locator(".sc-user .sc-text").first).to_have_text("como pido asilo en mexico")
    expect(page.locator(".sc-privacy")).to_be_hidden()


def test_english_toggle_then_a_child_alone_gets_the_child_protection_office_in_english(page: Page) -> None:
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("textbox")).to_have_attribute("placeholder", "Type your question…")
    ask(page, "my nephew is 15 and came alone, who protects him")
    expect(page.locator(".sc-bot .sc-text").first).to_contain_text("Child Protection Office", timeout=TIMEOUT_MS)


def test_creole_toggle_then_a_child_alone_gets_the_child_protection_office_in_creole(page: Page) -> None:
    for name in ("Español", "English", "Français", "Kreyòl"):
        expect(page.get_by_role("button", name=name)).to_be_visible()
    page.get_by_role("button", name="Kreyòl").click()
    expect(page.get_by_role("button", name="Kreyòl")).to_have_attribute("aria-pressed", "true")
    ask(page, "neve m nan gen 15 an li vini poukont li, ki moun ki ka pwoteje l")
    expect(page.locator(".sc-bot .sc-text").first).to_contain_text("Biwo pwoteksyon timoun", timeout=TIMEOUT_MS)


def test_quick_reply_button_gets_its_answer(page: Page) -> None:
    ask(page, "quiero pedir refugio")
    button = page.locator(".sc-button", has_text="Plazo para pedir asilo")
    expect(button).to_be_visible(timeout=TIMEOUT_MS)
    button.click()
    expect(page.locator(".sc-user .sc-text").last).to_have_text("Plazo para pedir asilo")
    answer = page.locator(".sc-bot .sc-text", has_text="Tienes 30 días para pedir asilo")
    expect(answer).to_be_visible(timeout=TIMEOUT_MS)


def test_phone_numbers_and_web_addresses_are_links(page: Page) -> None:
    ask(page, "telefono de la cndh")
    expect(page.locator(".sc-bot a[href^='tel:']").first).to_be_visible(timeout=TIMEOUT_MS)
    assert page.locator(".sc-bot a[href='tel:8007152000']").count() == 1
    link = page.locator(".sc-bot a[href='https://www.cndh.org.mx']")
    expect(link).to_have_attribute("rel", "noopener noreferrer")


def test_conversation_survives_a_reload_and_new_conversation_empties_it(page: Page) -> None:
    ask(page, "hola")
    # The greeting, then the privacy notice that comes with the first answer: count once both are shown.
    expect(page.locator(".sc-bot .sc-text", has_text="Privacidad")).to_be_visible(timeout=TIMEOUT_MS)
    session = page.evaluate("JSON.parse(localStorage.getItem('sipinna-chat-v1')).sessionId")
    count = page.locator(".sc-msg").count()
    page.reload()
    expect(page.locator(".sc-msg")).to_have_count(count)
    expect(page.locator(".sc-user .sc-text").first).to_have_text("hola")
    page.wait_for_function(f"() => JSON.parse(localStorage.getItem('sipinna-chat-v1')).sessionId === '{session}'")
    page.get_by_role("button", name="Nueva conversación").click()
    expect(page.locator(".sc-msg")).to_have_count(0)
    expect(page.locator(".sc-privacy")).to_be_visible()
    page.wait_for_function(
        f"() => /^[0-9a-f]{{32}}$/.test(JSON.parse(localStorage.getItem('sipinna-chat-v1')).sessionId || '')"
        f" && JSON.parse(localStorage.getItem('sipinna-chat-v1')).sessionId !== '{session}'"
    )


def test_markup_in_a_message_is_shown_as_text(page: Page, dialogs: list[str]) -> None:
    attack = "<img src=x onerror=alert(1)>"
    ask(page, attack)
    expect(page.locator(".sc-user .sc-text").first).to_have_text(attack)
    expect(page.locator(".sc-bot .sc-text").first).to_be_visible(timeout=TIMEOUT_MS)
    assert page.locator(".sc img").count() == 0
    assert page.locator("img").count() == 0
    assert dialogs == []


def test_keyboard_only_use(page: Page) -> None:
    page.get_by_role("textbox").focus()
    page.keyboard.type("ayuda")
    page.keyboard.press("Enter")
    first_button = page.locator(".sc-button").first
    expect(first_button).to_be_visible(timeout=TIMEOUT_MS)
    first_button.focus()
    outline = first_button.evaluate("b => getComputedStyle(b).outlineStyle")
    page.keyboard.press("Enter")
    expect(page.locator(".sc-user .sc-text")).to_have_count(2)
    assert outline != "none"
    assert page.locator("[role=log][aria-live=polite]").count() == 1


def test_screenshot_of_a_conversation_at_360x640(page: Page) -> None:
    ask(page, "se me vencio la tarjeta humanitaria que hago")
    expect(page.locator(".sc-bot .sc-text").first).to_contain_text("INM", timeout=TIMEOUT_MS)
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "webchat-360x640.png"
    page.screenshot(path=str(path))
    assert path.stat().st_size > 10_000
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_deleting_my_data_also_erases_the_transcript_kept_on_the_phone(page: Page) -> None:
    ask(page, "mi numero es 55 1234 5678, como pido asilo")
    expect(page.locator(".sc-bot .sc-text", has_text="COMAR").first).to_be_visible(timeout=TIMEOUT_MS)
    ask(page, "borra mis datos")
    page.locator(".sc-button", has_text="Sí, borrar todo").click(timeout=TIMEOUT_MS)
    expect(page.locator(".sc-bot .sc-text", has_text="borré esta conversación")).to_be_visible(timeout=TIMEOUT_MS)
    stored = page.evaluate("localStorage.getItem('sipinna-chat-v1')")
    assert "1234 5678" not in stored and "como pido asilo" not in stored, stored
    expect(page.locator(".sc-user .sc-text", has_text="como pido asilo")).to_have_count(0)
