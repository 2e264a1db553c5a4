"""The outputs on the pages: briefing downloads on Ringkasan, the WhatsApp texts on Kesiapan Unit, from the engine."""

import pytest
from conftest import open_page

import ui.data
from iga_data import exports, messages

pytestmark = pytest.mark.app


def test_ringkasan_offers_the_briefing_and_the_follow_up_named_with_the_data_date(data_dir):
    at = open_page("pages/ringkasan.py")
    labels = [b.label for b in at.download_button]
    assert labels == ["Ringkasan (.pdf)", "Ringkasan (.html)", "Data ringkasan (.xlsx)", "Tindak lanjut (.xlsx)"]
    view = ui.data.view()
    files = ui.data.briefing_files(view)
    assert files[".pdf"].startswith(b"%PDF") and b"<script" not in files[".html"]
    assert files[".xlsx"][:2] == b"PK" and ui.data.follow_up_file(view)[:2] == b"PK"
    assert exports.file_name(exports.BRIEFING, view.info.as_of, ".pdf") == "ringkasan_iga_2024-07-10.pdf"


def test_kesiapan_shows_the_whatsapp_text_of_the_chosen_pembina_to_copy(data_dir):
    at = open_page("pages/kesiapan.py")
    view = ui.data.view()
    expected = messages.whatsapp(view.analysis, view.info.as_of)
    assert [c.value for c in at.code] == list(expected[0].parts)  # to all, first
    at.selectbox(key="wa_to:").set_value(2).run()
    assert [c.value for c in at.code] == list(expected[2].parts)
    assert "Yth. Bapak/Ibu Pimpinan " + expected[2].pembina in at.code[0].value
    at.selectbox(key="f_pembina").set_value("Dinas Kesehatan").run()  # the page's pembina filter picks the message
    chosen = next(m for m in expected if m.pembina == "Dinas Kesehatan")
    assert [c.value for c in at.code] == list(chosen.parts)
