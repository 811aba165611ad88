"""Data checks: the real tables load, every key resolves, and malformed rows fail loudly with their location."""

import csv
import re
import shutil

import pytest
from conftest import ROOT

from helpers.core import data
from helpers.core.schema import CHECK_THEMES, TABLES, THEMES

DATA = ROOT / "data"


@pytest.fixture(scope="module")
def tables():
    return data.load_all()


def test_real_data_loads_and_cross_checks(tables):
    for name in ("references", "drugs", "targets", "affinities", "occupancy_fits", "evidence", "glossary"):
        assert len(tables[name]) > 0, f"table {name} is empty"


def test_every_table_folder_holds_only_theme_files():
    for folder in DATA.iterdir():
        if folder.is_dir():
            assert folder.name in TABLES, f"data/{folder.name}/ is not a table in helpers/core/schema.py"
            for path in folder.glob("*.csv"):
                stems = CHECK_THEMES if folder.name in ("objectives", "self_checks", "core_concepts") else THEMES  # + 00's "start"
                assert path.stem.split("_")[0] in stems, f"{path} is not named after a theme"


def test_data_readme_documents_every_table_and_column():
    readme = (DATA / "README.md").read_text()
    for name, table in TABLES.items():
        assert f"`{name}`" in readme, f"data/README.md does not document table {name}"
        section = readme.split(f"`{name}`", 1)[1]
        for column in table.header:
            assert f"`{column}`" in section, f"data/README.md does not document {name}.{column}"


def test_every_fact_row_names_a_source(tables):
    for name, table in TABLES.items():
        if "source" in table.header:
            assert tables[name]["source"].notna().all()


def test_references_have_identifiers(tables):
    refs = tables["references"]
    for _, row in refs.iterrows():
        assert row["doi"] or row["pmid"], row["key"]
        if row["doi"]:
            assert re.match(r"^10\.\d{4,9}/\S+$", row["doi"])


def test_no_orphan_references(tables):
    used = set()
    for name, table in TABLES.items():
        for col in table.columns:
            if col.kind == "refs":
                for cell in tables[name][col.name].dropna():
                    used.update(cell.split(";"))
    orphans = set(tables["references"]["key"]) - used
    assert not orphans, f"references never used by any row: {sorted(orphans)}"


def test_every_target_has_hgnc_symbols(tables):
    """One symbol per target, or several for a mixed receptor population measured in tissue."""
    symbols = [s for cell in tables["targets"]["hgnc_symbol"] for s in cell.split(";")]
    assert all(re.fullmatch(r"[A-Z][A-Z0-9\-]*", s) for s in symbols), symbols
    assert len(symbols) == len(set(symbols)), "a gene symbol belongs to two targets"


def test_mixed_population_target_resolves_from_each_symbol():
    assert data.resolve_target("CHRM1") == data.resolve_target("chrm3") == "muscarinic"


# --- malformed data fails with file, line, column and reason -------------------------------------

@pytest.fixture()
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def _rewrite(path, edit):
    rows = list(csv.reader(path.open(newline="", encoding="utf-8")))
    edit(rows)
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)


def _first_file(folder, table):
    return sorted((folder / table).glob("*.csv"))[0]


def test_non_numeric_value_is_rejected_with_location(data_copy):
    path = _first_file(data_copy, "affinities")
    col = TABLES["affinities"].header.index("value")
    _rewrite(path, lambda rows: rows[2].__setitem__(col, "about 3"))
    with pytest.raises(data.DataError, match=rf"{path.name}, line 3, column 'value': 'about 3' is not a number"):
        data.load_all(data_copy)


def test_negative_affinity_is_rejected(data_copy):
    path = _first_file(data_copy, "affinities")
    col = TABLES["affinities"].header.index("value")
    _rewrite(path, lambda rows: rows[1].__setitem__(col, "-4"))
    with pytest.raises(data.DataError, match="line 2, column 'value': -4 must be greater than 0"):
        data.load_all(data_copy)


def test_percent_instead_of_fraction_is_rejected(data_copy):
    path = _first_file(data_copy, "occupancy_fits")
    col = TABLES["occupancy_fits"].header.index("emax")
    _rewrite(path, lambda rows: rows[1].__setitem__(col, "85"))
    with pytest.raises(data.DataError, match="column 'emax'.*write 0.8, not 80"):
        data.load_all(data_copy)


def test_unknown_unit_lists_choices(data_copy):
    path = _first_file(data_copy, "affinities")
    col = TABLES["affinities"].header.index("unit")
    _rewrite(path, lambda rows: rows[1].__setitem__(col, "ng/mL"))
    with pytest.raises(data.DataError, match="'ng/mL' is not one of nM, uM, mM"):
        data.load_all(data_copy)


def test_unknown_source_key_is_rejected(data_copy):
    path = _first_file(data_copy, "affinities")
    col = TABLES["affinities"].header.index("source")
    _rewrite(path, lambda rows: rows[1].__setitem__(col, "nobody1999"))
    with pytest.raises(data.DataError, match="reference key 'nobody1999' is not defined"):
        data.load_all(data_copy)


def test_unknown_drug_suggests_close_match(data_copy):
    path = _first_file(data_copy, "affinities")
    col = TABLES["affinities"].header.index("drug")
    real = list(csv.reader(path.open()))[1][col]
    _rewrite(path, lambda rows: rows[1].__setitem__(col, real + "x"))
    with pytest.raises(data.DataError, match=rf"'{real}x' is not defined in data/drugs/; did you mean {real}"):
        data.load_all(data_copy)


def test_wrong_cell_count_is_rejected(data_copy):
    path = _first_file(data_copy, "targets")
    _rewrite(path, lambda rows: rows[1].pop())
    with pytest.raises(data.DataError, match=r"line 2: has \d+ cells, expected"):
        data.load_all(data_copy)


def test_wrong_header_is_rejected(data_copy):
    path = _first_file(data_copy, "drugs")
    _rewrite(path, lambda rows: rows[0].__setitem__(0, "compound"))
    with pytest.raises(data.DataError, match="line 1: header .* does not match table 'drugs'"):
        data.load_all(data_copy)


def test_duplicate_key_is_rejected_with_both_places(data_copy):
    path = _first_file(data_copy, "references")
    _rewrite(path, lambda rows: rows.append(list(rows[1])))
    with pytest.raises(data.DataError, match=r"duplicate key .*\(first defined at .*line 2\)"):
        data.load_all(data_copy)


def test_malformed_doi_is_rejected(data_copy):
    path = _first_file(data_copy, "references")
    col = TABLES["references"].header.index("doi")
    _rewrite(path, lambda rows: rows[1].__setitem__(col, "https://doi.org/10.1000/xyz"))
    with pytest.raises(data.DataError, match="is not a DOI"):
        data.load_all(data_copy)


def test_empty_required_cell_is_rejected(data_copy):
    path = _first_file(data_copy, "evidence")
    col = TABLES["evidence"].header.index("claim")
    _rewrite(path, lambda rows: rows[1].__setitem__(col, ""))
    with pytest.raises(data.DataError, match="column 'claim': value is required"):
        data.load_all(data_copy)


# --- name look-ups ---------------------------------------------------------------------------------

def test_target_accepts_short_name_and_gene_symbol():
    assert data.resolve_target("SERT") == data.resolve_target("slc6a4") == "SERT"
    assert data.resolve_target("drd2") == "D2"


def test_drug_lookup_is_case_insensitive():
    assert data.resolve_drug("SERTRALINE") == "sertraline"


def test_unknown_drug_names_closest_and_all_choices():
    with pytest.raises(data.UnknownNameError, match=r"unknown drug 'sertralin'\. Did you mean 'sertraline'.*Known drugs: .*caffeine"):
        data.resolve_drug("sertralin")


def test_unknown_target_lists_symbols():
    with pytest.raises(data.UnknownNameError, match=r"unknown target 'SERTX'.*SERT \(SLC6A4\)"):
        data.resolve_target("SERTX")


# --- remembered look-ups (data.cached_lookup) -----------------------------------------------------

def test_a_remembered_affinity_follows_the_data_folder_and_cannot_be_changed_by_a_caller(data_copy, monkeypatch):
    """Look-ups are remembered per data folder (a slider step must not filter tables again), but another folder
    gives its own answer, and a caller editing the returned dict does not change the next answer."""
    from helpers.core.occupancy import affinity

    first = affinity("haloperidol", "D2")
    first["value"] = -1.0  # a careless caller
    assert affinity("haloperidol", "D2")["value"] > 0
    path = data_copy / "affinities" / "basics.csv"
    col = TABLES["affinities"].header.index("value")

    def tenfold(rows):
        row = next(r for r in rows[1:] if r[0] == "haloperidol" and r[1] == "D2")
        row[col] = str(10 * float(row[col]))
    _rewrite(path, tenfold)
    monkeypatch.setenv(data.DATA_ENV, str(data_copy))
    assert affinity("haloperidol", "D2")["value"] == pytest.approx(10 * first_value()), "the other folder's value"
    monkeypatch.delenv(data.DATA_ENV)
    assert affinity("haloperidol", "D2")["value"] == pytest.approx(first_value())


def first_value() -> float:
    """Haloperidol's D2 constant (nM) read straight from the repository's table, without the look-up."""
    rows = list(csv.DictReader((DATA / "affinities" / "basics.csv").open(encoding="utf-8")))
    return float(next(r["value"] for r in rows if r["drug"] == "haloperidol" and r["target"] == "D2"
                      and "human" in r["species"].casefold()))


def test_a_remembered_lookup_still_raises_every_time_for_bad_input():
    from helpers.core.occupancy import affinity

    for _ in range(2):
        with pytest.raises(data.UnknownNameError, match="no affinity stored for lithium"):
            affinity("lithium", "D2")
