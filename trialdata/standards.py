"""The product-characterisation catalogue: which items a record is read for, by product, and the yardstick.

For cell products the ISCT 2006 minimal criteria and the product items of reference-standards §1; for
EV / exosome products the MISEV2018 items of §2. Each item says what counts as reported. The schema builds
the YAML's `characterisation` blocks from this list (one field per item), so an item id is spelled once.

The yardstick is how often published MSC studies report these items (Renesme 2022, Wilson 2021, Kirkham
2022; for EV products only Wang 2025's finding that characterisation varies widely), worded as
`../shared/sources/reference-standards.md` states it: context a trial is read against,
never data about a trial. Lowest layer beside `vocab`: no I/O, no imports from the rest of `trialdata`
except the vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass

from trialdata.vocab import ProductType


@dataclass(frozen=True)
class Standard:
    key: str
    name: str  # short, for tables and the figure
    citation: str


@dataclass(frozen=True)
class Item:
    id: str  # the key in the YAML's characterisation block
    standard: str  # Standard.key
    product: ProductType
    label: str  # short, for the grid
    reported_when: str  # what counts as reported (the curator's rule; the schema's field description)


STANDARDS: dict[str, Standard] = {s.key: s for s in [
    Standard("isct_2006", "ISCT 2006 minimal criteria",
             "Dominici M et al. Minimal criteria for defining multipotent mesenchymal stromal cells. The "
             "International Society for Cellular Therapy position statement. Cytotherapy 2006;8(4). "
             "doi:10.1080/14653240600855905"),
    Standard("msc_product", "MSC product items",
             "reference-standards §1: the items a trial record or its product description can be checked for, "
             "from Dominici 2006, Viswanathan 2021 (PMID 34116944), Krampera 2013 (doi:10.1016/j.jcyt.2013.02.010) "
             "and the reviews Renesme 2022, Wilson 2021, Kirkham 2022"),
    Standard("misev_2018", "MISEV2018",
             "Thery C et al. Minimal information for studies of extracellular vesicles 2018 (MISEV2018). "
             "J Extracell Vesicles 2018;7:1535750. doi:10.1080/20013078.2018.1535750"),
    Standard("ev_dose", "EV dose unit",
             "reference-standards §2: EV doses are expressed in particles, micrograms of protein, producing-cell "
             "equivalents or volume, which cannot be converted into one another (Wang et al., Front Med "
             "2025;12:1625787)"),
]}

CELLS, EVS = ProductType.CELLS, ProductType.EXOSOMES

# In catalogue order (the grid's row order). "Surface-marker phenotype with values" and "trilineage
# differentiation" of the §1 list are the ISCT criteria 2-4 here, so no item is counted twice.
ITEMS: list[Item] = [
    Item("isct_plastic_adherence", "isct_2006", CELLS, "Adherent to plastic",
         "the record says the cells adhere to plastic in standard culture (or were selected by adherence)"),
    Item("isct_positive_markers", "isct_2006", CELLS, "CD105, CD73, CD90 on ≥ 95 %",
         "the record gives the share of cells expressing CD105, CD73 and CD90, or states that the ≥ 95 % "
         "criterion is met"),
    Item("isct_negative_markers", "isct_2006", CELLS, "Haematopoietic markers, HLA-DR ≤ 2 %",
         "the record gives the share of cells expressing CD45, CD34, CD14 or CD11b, CD79α or CD19, and HLA-DR, "
         "or states that the ≤ 2 % criterion is met"),
    Item("isct_trilineage", "isct_2006", CELLS, "Trilineage differentiation",
         "the record says the cells differentiate in vitro into osteoblasts, adipocytes and chondroblasts"),
    Item("tissue_source", "msc_product", CELLS, "Tissue source",
         "the record names the tissue the MSCs come from (bone marrow, adipose tissue, umbilical cord, ...)"),
    Item("donor_type", "msc_product", CELLS, "Autologous or allogeneic",
         "the record says whether the cells are the patient's own (autologous) or a donor's (allogeneic)"),
    Item("donor_age_sex", "msc_product", CELLS, "Donor age and sex",
         "the record gives the age and sex of the cell donor(s)"),
    Item("passage", "msc_product", CELLS, "Culture passage",
         "the record gives the passage (or population doublings) of the cells given"),
    Item("fresh_or_cryopreserved", "msc_product", CELLS, "Fresh or cryopreserved",
         "the record says whether the cells are given fresh or after cryopreservation (and how they are handled "
         "after thawing)"),
    Item("viability", "msc_product", CELLS, "Viability at release",
         "the record gives a viability assay or a minimum viability of the cells at release"),
    Item("potency_release", "msc_product", CELLS, "Potency assay or release criteria",
         "the record names a potency or functional assay, or the criteria a lot must meet to be released"),
    Item("dose_per_kg", "msc_product", CELLS, "Dose per kg (or per patient)",
         "the record gives the amount of cells with its unit and basis: per kg body weight or per patient, per "
         "administration or in total"),
    Item("doses_and_interval", "msc_product", CELLS, "Number of doses and interval",
         "the record gives the number of administrations and, when there is more than one, the interval"),
    Item("route", "msc_product", CELLS, "Route",
         "the record names the route of administration (intravenous, intrathecal, intra-articular, ...)"),
    Item("vehicle", "msc_product", CELLS, "Vehicle (and infusion rate)",
         "the record names the solution the cells are given in (and the rate of infusion)"),
    Item("manufacturer", "msc_product", CELLS, "Manufacturer or GMP site",
         "the record names who makes the cells, or the GMP facility they are made in"),
    Item("ev_source_cells", "misev_2018", EVS, "Producing cells",
         "the record names the cells the vesicles come from"),
    Item("ev_source_amount", "misev_2018", EVS, "Amount of source material",
         "the record gives the amount of source material: volume of conditioned medium, number of producing "
         "cells or tissue mass"),
    Item("ev_isolation", "misev_2018", EVS, "Isolation method",
         "the record names how the vesicles are separated (ultracentrifugation, size exclusion, ...)"),
    Item("ev_quantity_two_measures", "misev_2018", EVS, "Quantity by two measures",
         "the record quantifies the vesicles by at least two measures (protein, particle number, lipid)"),
    Item("ev_quantity_ratio", "misev_2018", EVS, "Ratio of the two measures (purity)",
         "the record gives the ratio of two quantity measures (e.g. particles per µg protein)"),
    Item("ev_markers", "misev_2018", EVS, "≥ 3 positive protein markers",
         "the record names at least three positive protein markers, a transmembrane or GPI-anchored one "
         "(e.g. CD9, CD63, CD81) and a cytosolic one (e.g. TSG101, syntenin)"),
    Item("ev_contaminants", "misev_2018", EVS, "Contaminant check",
         "the record names a check for expected contaminants (e.g. calnexin, GRP94, histones)"),
    Item("ev_imaging", "misev_2018", EVS, "Single-vesicle imaging",
         "the record names an imaging method for single vesicles (electron microscopy)"),
    Item("ev_non_imaging", "misev_2018", EVS, "Single-vesicle non-imaging method",
         "the record names a non-imaging single-vesicle method (NTA, TRPS or high-resolution flow cytometry)"),
    Item("ev_dose_unit", "ev_dose", EVS, "Dose with its unit",
         "the record gives the dose as an amount with its unit (particles, µg protein, cell equivalents or "
         "volume)"),
]

BY_ID: dict[str, Item] = {i.id: i for i in ITEMS}


def items_of(product: ProductType) -> list[Item]:
    """The catalogue for one kind of product, in order."""
    return [i for i in ITEMS if i.product is product]


# --- the yardstick: how often published MSC studies report these items -------------------------------------


@dataclass(frozen=True)
class Review:
    key: str
    short: str  # "Renesme 2022"
    citation: str
    looked_at: str  # what the review looked at, as the reference file states it


@dataclass(frozen=True)
class PublishedRate:
    review: str  # Review.key
    finding: str  # as reference-standards §1 states it
    items: tuple[str, ...]  # the catalogue items it speaks to (empty: the product as a whole)


REVIEWS: dict[str, Review] = {r.key: r for r in [
    Review("renesme_2022", "Renesme 2022",
           "Renesme L et al. Stem Cells Transl Med 2022;11(1):44-54. doi:10.1093/stcltm/szab009",
           "318 studies analysed (of 1,053 included)"),
    Review("wilson_2021", "Wilson 2021",
           "Wilson A et al. Stem Cell Res Ther 2021;12:360. doi:10.1186/s13287-021-02435-1",
           "84 clinical papers"),
    Review("kirkham_2022", "Kirkham 2022",
           "Kirkham AM et al. Stem Cells Transl Med 2022;11(7):675-687. doi:10.1093/stcltm/szac038",
           "11 controlled COVID-19 MSC studies"),
    Review("wang_2025", "Wang 2025", "Wang et al. Front Med 2025;12:1625787", "66 registered MSC-EV trials"),
]}

_ISCT = tuple(i.id for i in ITEMS if i.standard == "isct_2006")

YARDSTICK: list[PublishedRate] = [
    PublishedRate("renesme_2022", "18 % cited the ISCT criteria", _ISCT),
    PublishedRate("renesme_2022", "18 % reported a viability assay", ("viability",)),
    PublishedRate("renesme_2022", "20 % reported at least one functional assay", ("potency_release",)),
    PublishedRate("wilson_2021", "33.3 % gave no characterisation data", ()),
    PublishedRate("wilson_2021", "53.6 % gave average marker values; 13.1 % per-lot values",
                  ("isct_positive_markers", "isct_negative_markers")),
    PublishedRate("wilson_2021", "viability reported by 57 %", ("viability",)),
    PublishedRate("kirkham_2022", "2 of 11 reported all ISCT criteria", _ISCT),
    PublishedRate("kirkham_2022", "fresh vs cryopreserved not stated in 6 of 11", ("fresh_or_cryopreserved",)),
    PublishedRate("kirkham_2022", "passage not stated in 4 of 11", ("passage",)),
    # no reporting rate for EV products in the reference file, only this (reference-standards §2)
    PublishedRate("wang_2025", "characterisation, dose units and outcome measures varying widely",
                  tuple(i.id for i in ITEMS if i.product is EVS)),
]
