import pytest

from somatosim.params import KINDS, _parse, load_parameters


def test_every_parameter_has_provenance():
    params = load_parameters()
    assert len(params) > 80
    for p in params.values():
        assert p.kind in KINDS
        assert p.unit, p.name
        if p.kind in ("published", "derived"):
            assert p.source, p.name
        if p.kind == "calibrated":
            assert p.target, p.name
        if p.kind == "assumption":
            assert p.note, p.name


@pytest.mark.parametrize(
    "text, message",
    [
        ('[a]\nvalue = 1\nunit = "1"\n', "missing field"),
        ('[a]\nvalue = 1\nunit = "1"\nkind = "guess"\n', "kind"),
        ('[a]\nvalue = 1\nunit = "1"\nkind = "published"\n', "needs a source"),
        ('[a]\nvalue = 1\nunit = "1"\nkind = "calibrated"\nsource = "x"\n', "calibration target"),
        ('[a]\nvalue = 1\nunit = "1"\nkind = "assumption"\n', "note"),
        ('[a]\nvalue = nan\nunit = "1"\nkind = "assumption"\nnote = "n"\n', "not finite"),
    ],
)
def test_loader_rejects_entries_without_provenance(text, message):
    with pytest.raises(ValueError, match=message):
        _parse("x.toml", text)
