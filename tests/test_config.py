import pytest
from pydantic import ValidationError

from assistant.config import Settings
from tests.support.paths import ROOT


def test_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, field in Settings.model_fields.items():
        assert f"ASSISTANT_{name.upper()}" in readme, name
        assert field.description, name


def test_settings_come_from_the_environment_with_bounds(monkeypatch):
    monkeypatch.setenv("ASSISTANT_TOP_K", "7")
    monkeypatch.setenv("ASSISTANT_LANGUAGES", "EN, de ,vi")
    settings = Settings()
    assert settings.top_k == 7 and settings.language_codes == ["en", "de", "vi"]
    for name, bad in (("ASSISTANT_TOP_K", "0"), ("ASSISTANT_LANGUAGES", "english"), ("ASSISTANT_EMBEDDER", "bert")):
        monkeypatch.setenv(name, bad)
        with pytest.raises(ValidationError):
            Settings()
        monkeypatch.delenv(name)
