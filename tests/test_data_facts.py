"""Every fact of the source slides, asked of the graph (data/*.ttl plus the ontology if present).

The expected values are read off the OCR of the 13 slides (shared/seed); the tests query the
parsed graph, never the Turtle text, so they hold whatever the files' layout.
"""

import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "data"
ONTOLOGY_FILE = ROOT / "ontology" / "aichr.ttl"
SEED_FILE = Path(os.environ.get("AICHR_KG_SEED", ROOT.parent / "shared" / "seed" / "000_1b53e05d68de258d.txt"))
DATA_FILES = (
    "source.ttl",
    "meetings.ttl",
    "jaif-projects.ttl",
    "bhr-projects.ttl",
    "organisations.ttl",
    "places.ttl",
    "publications.ttl",
    "initiatives.ttl",
    "themes.ttl",
)

AJ = Namespace("https://w3id.org/aichr-japan/ontology/")
ID = Namespace("https://w3id.org/aichr-japan/id/")
SCHEMA = Namespace("http://schema.org/")
DCT = Namespace("http://purl.org/dc/terms/")
WD = Namespace("http://www.wikidata.org/entity/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

PREFIXES = """
PREFIX aj: <https://w3id.org/aichr-japan/ontology/>
PREFIX source: <https://w3id.org/aichr-japan/id/source/>
PREFIX slide: <https://w3id.org/aichr-japan/id/slide/>
PREFIX meeting: <https://w3id.org/aichr-japan/id/meeting/>
PREFIX status: <https://w3id.org/aichr-japan/id/status/>
PREFIX scheme: <https://w3id.org/aichr-japan/id/scheme/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

CONTRACT_CLASSES = {
    AJ[name]
    for name in [
        "SourceDocument",
        "Slide",
        "Event",
        "Meeting",
        "InterfaceMeeting",
        "Summit",
        "AFMInterface",
        "Project",
        "JAIFProject",
        "BHRProject",
        "PlannedProject",
        "MonetaryAmount",
        "Agent",
        "Organization",
        "IntergovernmentalOrganization",
        "GovernmentOrganization",
        "Fund",
        "OrganizationalUnit",
        "Country",
        "Place",
        "Person",
        "Publication",
        "PolicyDocument",
        "Guidance",
        "Report",
        "Initiative",
        "Outcome",
        "Decision",
        "Theme",
        "PriorityArea",
        "Reason",
        "ProjectStatus",
        "Criterion",
    ]
} | {SKOS.ConceptScheme}

CONTRACT_PROPERTIES = {
    AJ[name]
    for name in [
        "fundedBy",
        "funds",
        "mainDonor",
        "leadCountry",
        "leadsProject",
        "implementedBy",
        "implements",
        "venue",
        "actualCost",
        "status",
        "theme",
        "themeOf",
        "outcome",
        "outcomeOf",
        "identifiesPriorityArea",
        "concerns",
        "adoptedAt",
        "adopted",
        "publisher",
        "actor",
        "initiativeOutput",
        "organizer",
        "participant",
        "presenter",
        "presentedAt",
        "slide",
        "slideOf",
        "source",
        "country",
        "subOrganizationOf",
        "hasSubOrganization",
        "representsCountry",
        "criterion",
        "reason",
        "date",
        "month",
        "year",
        "amount",
        "currency",
        "ordinal",
        "rowNumber",
        "jaifTableRow",
        "bhrTableRow",
        "slideNumber",
        "statedCount",
        "verbatim",
        "iso3166Alpha2",
    ]
}


def iri(path):
    return ID[path]


@pytest.fixture(scope="module")
def data_graph():
    graph = Graph()
    for name in DATA_FILES:
        graph.parse(DATA_DIR / name, format="turtle")
    return graph


@pytest.fixture(scope="module")
def graph(data_graph):
    combined = Graph()
    if ONTOLOGY_FILE.exists():
        combined.parse(ONTOLOGY_FILE, format="turtle")
    for triple in data_graph:
        combined.add(triple)
    return combined


def select(graph, query, **bindings):
    return list(graph.query(PREFIXES + query, initBindings=bindings))


def one(graph, subject, predicate):
    values = list(graph.objects(subject, predicate))
    assert len(values) == 1, f"{subject} {predicate}: expected one value, got {values}"
    return values[0]


def objects(graph, subject, predicate):
    return set(graph.objects(subject, predicate))


# --- the data files themselves -----------------------------------------------------------------


@pytest.mark.parametrize("name", DATA_FILES)
def test_data_file_has_no_blank_nodes(name):
    graph = Graph().parse(DATA_DIR / name, format="turtle")
    assert len(graph) > 0
    blank = [t for t in graph if isinstance(t[0], BNode) or isinstance(t[2], BNode)]
    assert blank == []


def test_every_typed_resource_has_english_label_and_slide_source(data_graph):
    slides = set(data_graph.subjects(RDF.type, AJ.Slide))
    for subject in set(data_graph.subjects(RDF.type, None)):
        labels = list(data_graph.objects(subject, RDFS.label))
        assert labels and all(label.language == "en" for label in labels), subject
        sources = objects(data_graph, subject, AJ.source)
        assert sources and sources <= slides, subject


def test_types_and_terms_are_those_of_the_contract(data_graph):
    assert set(data_graph.objects(None, RDF.type)) <= CONTRACT_CLASSES | {SCHEMA.OnlineEventAttendanceMode}
    used = {p for p in data_graph.predicates() if str(p).startswith(str(AJ))}
    assert used <= CONTRACT_PROPERTIES, used - CONTRACT_PROPERTIES


@pytest.mark.skipif(not ONTOLOGY_FILE.exists(), reason="ontology/aichr.ttl not written yet")
def test_every_term_used_is_declared_in_the_ontology(data_graph):
    ontology = Graph().parse(ONTOLOGY_FILE, format="turtle")
    used = {t for triple in data_graph for t in triple if isinstance(t, URIRef) and str(t).startswith(str(AJ))}
    assert {t for t in used if (t, RDF.type, None) not in ontology} == set()


def test_every_referenced_resource_is_described(data_graph):
    referenced = {o for o in data_graph.objects() if isinstance(o, URIRef) and str(o).startswith(str(ID))}
    assert {r for r in referenced if (r, RDFS.label, None) not in data_graph} == set()


# --- source document and slides ------------------------------------------------------------------

SLIDE_TITLES = {
    1: "AICHR-Japan Cooperation – Progress and Next Steps",
    2: "Outline",
    3: "Progress of AICHR-Japan cooperation",
    4: "10 projects were implemented with JAIF Support",
    5: "AICHR reported an AICHR-Japan Cooperation in Jul 2024",
    6: "First JAIF supported project on BHR (Sep 2024)",
    7: "Importance of Business and Human Rights",
    8: "BHR projects by AICHR",
    9: "Initiative on BHR by GOJ",
    10: "Next Steps for AICHR-Japan cooperation",
    11: "AICHR-Japan cooperation cycle",
    12: "Next Steps: to formulate new project of Business and Human Rights",
    13: "Thank you for your attention",
}


def test_source_document(graph):
    doc = iri("source/slides-2025-05-13")
    assert (doc, RDF.type, AJ.SourceDocument) in graph
    assert str(one(graph, doc, RDFS.label)) == SLIDE_TITLES[1]
    assert one(graph, doc, DCT.date) == Literal("2025-05-13", datatype=XSD.date)
    presenter = one(graph, doc, AJ.presenter)
    assert presenter == iri("person/kiya-masahiko")
    assert str(one(graph, presenter, RDFS.label)) == "Kiya Masahiko"
    assert str(one(graph, presenter, SCHEMA.jobTitle)) == "Ambassador of Japan to ASEAN"
    meeting = one(graph, doc, AJ.presentedAt)
    assert meeting == iri("meeting/interface-4")
    assert one(graph, meeting, AJ.venue) == iri("place/asean-secretariat-hq")
    assert one(graph, iri("place/asean-secretariat-hq"), AJ.country) == iri("country/id")


def test_thirteen_slides_with_numbers_and_titles(graph):
    rows = select(
        graph,
        """SELECT ?n ?title WHERE {
        source:slides-2025-05-13 aj:slide ?s . ?s a aj:Slide ; aj:slideNumber ?n ; rdfs:label ?title }""",
    )
    assert {int(n): str(title) for n, title in rows} == SLIDE_TITLES


# --- meetings and outcomes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "slug, ordinal, day, venue",
    [
        ("interface-1", 1, "2015-05-08", None),
        ("interface-2", 2, "2023-11-08", "asean-secretariat-hq"),
        ("interface-3", 3, "2024-05-22", None),
        ("interface-4", 4, "2025-05-13", "asean-secretariat-hq"),
    ],
)
def test_interface_meeting(graph, slug, ordinal, day, venue):
    meeting = iri(f"meeting/{slug}")
    assert (meeting, RDF.type, AJ.InterfaceMeeting) in graph
    assert one(graph, meeting, AJ.ordinal).toPython() == ordinal
    assert one(graph, meeting, AJ.date) == Literal(day, datatype=XSD.date)
    assert objects(graph, meeting, AJ.venue) == ({iri(f"place/{venue}")} if venue else set())
    assert objects(graph, meeting, AJ.participant) == {iri("org/aichr"), iri("country/jp")}


def test_exactly_four_interface_meetings(graph):
    assert len(set(graph.subjects(RDF.type, AJ.InterfaceMeeting))) == 4


def test_outcome_links_agree_both_ways(graph):
    forward = set(graph.subject_objects(AJ.outcome))
    backward = {(m, o) for o, m in graph.subject_objects(AJ.outcomeOf)}
    assert forward == backward and len(forward) == 16


def test_first_meeting_identified_three_priority_areas(graph):
    rows = select(
        graph,
        """SELECT ?o ?area WHERE {
        meeting:interface-1 aj:outcome ?o . ?o aj:identifiesPriorityArea ?area . ?area a aj:PriorityArea }""",
    )
    assert {area for _, area in rows} == {
        iri("theme/rights-of-persons-with-disabilities"),
        iri("theme/empowerment-of-women"),
        iri("theme/trafficking-in-persons"),
    }
    assert one(graph, rows[0][0], AJ.statedCount).toPython() == 3


def test_nine_projects_of_the_first_meeting_are_jaif_rows_1_to_9(graph):
    rows = select(
        graph,
        """SELECT ?o ?p ?row WHERE {
        meeting:interface-1 aj:outcome ?o . ?o aj:statedCount 9 ; aj:concerns ?p . ?p aj:jaifTableRow ?row }""",
    )
    assert len({o for o, _, _ in rows}) == 1
    assert sorted(int(row) for _, _, row in rows) == list(range(1, 10))


def test_masterplan_adopted_at_33rd_asean_summit_2018(graph):
    summit = iri("meeting/asean-summit-33")
    plan = iri("publication/asean-enabling-masterplan-2025")
    assert (summit, RDF.type, AJ.Summit) in graph and one(graph, summit, AJ.ordinal).toPython() == 33
    assert one(graph, summit, DCT.date) == Literal("2018", datatype=XSD.gYear)
    assert one(graph, plan, AJ.adoptedAt) == summit
    assert select(graph, "ASK { meeting:interface-1 aj:outcome ?o . ?o aj:concerns ?plan , ?summit }", plan=plan, summit=summit)[
        0
    ]


def test_second_meeting_decided_regular_interface(graph):
    rows = select(
        graph,
        """SELECT ?d ?text WHERE {
        meeting:interface-2 aj:outcome ?d . ?d a aj:Decision ; dct:description ?text }""",
    )
    assert len(rows) == 1 and "regular basis" in str(rows[0][1])


def test_implementation_plan_outcome_of_second_meeting(graph):
    summit = iri("meeting/asean-japan-commemorative-summit-2023")
    plan = iri("publication/asean-japan-implementation-plan-2023")
    rows = select(
        graph,
        """SELECT ?o ?text ?month WHERE {
        meeting:interface-2 aj:outcome ?o . ?o aj:concerns ?plan ; dct:description ?text ; aj:month ?month }""",
        plan=plan,
    )
    assert len(rows) == 1
    assert "Collaborate on human rights and support the work of AICHR" in str(rows[0][1])
    assert rows[0][2] == Literal("2023-12", datatype=XSD.gYearMonth)
    assert one(graph, plan, AJ.adoptedAt) == summit
    assert one(graph, iri("publication/asean-japan-joint-statement-2023"), AJ.adoptedAt) == summit
    assert one(graph, summit, AJ.month) == Literal("2023-12", datatype=XSD.gYearMonth)


def test_second_meeting_as_reported_to_afm(graph):
    texts = " ".join(
        str(t)
        for _, t in select(
            graph,
            """SELECT ?o ?text WHERE {
        meeting:interface-2 aj:outcome ?o . ?o dct:description ?text }""",
        )
    )
    for fact in (
        "(i) the rights of persons with disabilities",
        "(ii) empowerment of women",
        "(iii) fight against trafficking in persons",
        "Japan supported nine AICHR activities",
        "ASEAN Enabling Masterplan 2025",
        "held on a regular basis",
        "2024 and beyond",
    ):
        assert fact in texts
    nine = select(graph, "SELECT ?o WHERE { meeting:interface-2 aj:outcome ?o . ?o aj:statedCount 9 }")
    assert len(nine) == 1


def test_third_meeting_identified_bhr_and_its_projects(graph):
    bhr = iri("theme/business-and-human-rights")
    assert (bhr, RDF.type, AJ.PriorityArea) in graph
    assert select(graph, "ASK { meeting:interface-3 aj:outcome/aj:identifiesPriorityArea ?bhr }", bhr=bhr)[0]
    rows = select(
        graph,
        """SELECT ?p ?month WHERE {
        meeting:interface-3 aj:outcome ?o . ?o aj:concerns ?p ; aj:month ?month . ?p a ?type .
        FILTER(?type IN (aj:JAIFProject, aj:PlannedProject)) }""",
    )
    assert {(p, str(m)) for p, m in rows} == {
        (iri("project/migrant-workers-workshop-2024"), "2024-09"),
        (iri("project/jaif-bhr-2"), "2025-06"),
    }
    shared = select(
        graph,
        """SELECT ?text WHERE { meeting:interface-3 aj:outcome ?o .
        ?o aj:concerns ?bhr ; dct:description ?text }""",
        bhr=bhr,
    )
    assert any("deepen cooperation" in str(text) for (text,) in shared)


@pytest.mark.parametrize("slug, month", [("aichr-afm-interface-2024", "2024-07"), ("aichr-afm-interface-2025", "2025-07")])
def test_afm_interfaces(graph, slug, month):
    meeting = iri(f"meeting/{slug}")
    assert (meeting, RDF.type, AJ.AFMInterface) in graph
    assert one(graph, meeting, AJ.month) == Literal(month, datatype=XSD.gYearMonth)
    assert objects(graph, meeting, AJ.participant) == {iri("org/aichr"), iri("org/afm")}


def test_aichr_reported_cooperation_in_2024_and_will_in_2025(graph):
    report = iri("publication/aichr-afm-report-2024")
    assert (report, RDF.type, AJ.Report) in graph
    assert select(graph, "ASK { meeting:aichr-afm-interface-2024 aj:outcome/aj:concerns ?r }", r=report)[0]
    assert one(graph, iri("meeting/aichr-afm-interface-2025"), AJ.venue) == iri("country/my")
    texts = [
        str(t)
        for (t,) in select(
            graph,
            """SELECT ?t WHERE {
        meeting:aichr-afm-interface-2025 aj:outcome/rdfs:label ?t }""",
        )
    ]
    assert texts == ["AICHR will report on AICHR-Japan cooperation in 2025 to AFM"]


# --- JAIF projects ------------------------------------------------------------------------------------

JAIF_ROWS = {  # row: (month, lead country, actual cost as printed)
    1: ("2015-12", "th", "169934.75"),
    2: ("2016-08", "vn", "81404.00"),
    3: ("2016-07", "th", "178182.00"),
    4: ("2016-10", "th", "89293.50"),
    5: ("2018-10", "th", "147829.00"),
    6: ("2017-06", "th", "149578.00"),
    7: ("2019-02", "th", "103942.30"),
    8: ("2019-12", "th", "136920.00"),
    9: ("2019-11", "vn", "79079.00"),
    10: ("2024-09", "th", None),
}


def jaif_project(graph, row):
    projects = list(graph.subjects(AJ.jaifTableRow, Literal(row)))
    assert len(projects) == 1, f"JAIF row {row}: {projects}"
    return projects[0]


@pytest.mark.parametrize("row", sorted(JAIF_ROWS))
def test_jaif_project_row(graph, row):
    month, country, cost = JAIF_ROWS[row]
    project = jaif_project(graph, row)
    assert (project, RDF.type, AJ.JAIFProject) in graph
    assert one(graph, project, AJ.month) == Literal(month, datatype=XSD.gYearMonth)
    assert one(graph, project, AJ.leadCountry) == iri(f"country/{country}")
    assert iri("org/jaif") in objects(graph, project, AJ.fundedBy)
    assert objects(graph, project, AJ.theme)
    if cost is None:
        assert objects(graph, project, AJ.actualCost) == set()
        return
    amount_node = one(graph, project, AJ.actualCost)
    assert amount_node == iri(f"cost/jaif-{row:02d}")
    amount = one(graph, amount_node, AJ.amount)
    assert amount.datatype == XSD.decimal and str(amount) == cost
    assert amount.toPython() == Decimal(cost)
    assert str(one(graph, amount_node, AJ.currency)) == "USD"


def test_ten_jaif_projects(graph):
    assert len(set(graph.subjects(RDF.type, AJ.JAIFProject))) == 10


def test_sum_of_known_jaif_costs(graph):
    amounts = [one(graph, cost, AJ.amount).toPython() for _, cost in graph.subject_objects(AJ.actualCost)]
    assert len(amounts) == 9
    assert sum(amounts, Decimal(0)) == Decimal("1136162.55")
    (total,) = select(graph, "SELECT (SUM(?a) AS ?total) WHERE { ?p a aj:JAIFProject ; aj:actualCost/aj:amount ?a }")[0]
    assert total.toPython() == Decimal("1136162.55")


def test_closing_process_project_has_no_cost(graph):
    rows = select(graph, "SELECT ?p WHERE { ?p aj:status status:closing-process }")
    assert [p for (p,) in rows] == [iri("project/migrant-workers-workshop-2024")]
    assert objects(graph, rows[0][0], AJ.actualCost) == set()


# --- BHR projects ----------------------------------------------------------------------------------

BHR_ROWS = {  # row: (month, venue, donors)
    1: ("2014-06", "singapore", {"org/un-agency"}),
    2: ("2016-11", "singapore", {"org/eu", "country/se", "org/undp"}),
    3: ("2018-06", "bangkok", {"org/un-agency", "org/eu", "org/arab-league"}),
    4: ("2019-06", None, {"country/no", "country/ch", "country/au", "org/undp", "org/oecd", "org/ilo"}),
    5: ("2020-12", "bangkok", {"org/undp"}),
    6: ("2022-07", None, {"org/undp", "country/au"}),
    7: ("2023-05", "kuala-lumpur", {"org/eu"}),
    8: ("2023-06", None, {"org/undp", "org/oecd"}),
    9: ("2024-09", "bangkok", {"org/jaif"}),
}


@pytest.mark.parametrize("row", sorted(BHR_ROWS))
def test_bhr_project_row(graph, row):
    month, venue, donors = BHR_ROWS[row]
    projects = list(graph.subjects(AJ.bhrTableRow, Literal(row)))
    assert len(projects) == 1
    project = projects[0]
    assert (project, RDF.type, AJ.BHRProject) in graph
    assert one(graph, project, AJ.month) == Literal(month, datatype=XSD.gYearMonth)
    assert objects(graph, project, AJ.venue) == ({iri(f"place/{venue}")} if venue else set())
    assert objects(graph, project, AJ.mainDonor) == {iri(d) for d in donors}
    assert iri("theme/business-and-human-rights") in objects(graph, project, AJ.theme)


def test_nine_bhr_projects_and_online_training(graph):
    assert len(set(graph.subjects(RDF.type, AJ.BHRProject))) == 9
    online = set(graph.subjects(SCHEMA.eventAttendanceMode, SCHEMA.OnlineEventAttendanceMode))
    assert online == set(graph.subjects(AJ.bhrTableRow, Literal(5)))


def test_migrant_workers_workshop_is_one_resource_in_both_tables(graph):
    workshop = iri("project/migrant-workers-workshop-2024")
    assert jaif_project(graph, 10) == workshop
    assert set(graph.subjects(AJ.bhrTableRow, Literal(9))) == {workshop}
    assert {AJ.JAIFProject, AJ.BHRProject} <= objects(graph, workshop, RDF.type)
    assert objects(graph, workshop, AJ.implementedBy) == {iri("org/aichr"), iri("org/seanf")}
    assert one(graph, workshop, AJ.mainDonor) == iri("org/jaif")
    assert len(list(graph.objects(workshop, RDFS.label))) == 1


def test_planned_second_jaif_bhr_project(graph):
    project = iri("project/jaif-bhr-2")
    assert (project, RDF.type, AJ.PlannedProject) in graph
    assert str(one(graph, project, RDFS.label)) == "Gender-Lens Perspective on Business and Human Rights in ASEAN"
    assert one(graph, project, AJ.month) == Literal("2025-06", datatype=XSD.gYearMonth)
    assert one(graph, project, AJ.status) == iri("status/planned")
    assert one(graph, project, AJ.implementedBy) == iri("org/aichr-malaysia")
    assert one(graph, project, AJ.fundedBy) == iri("org/jaif")


# --- organisations and places ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "slug, acronym",
    [
        ("aichr", "AICHR"),
        ("jaif", "JAIF"),
        ("jaif-management-team", "JMT"),
        ("government-of-japan", "GOJ"),
        ("meti", "METI"),
        ("mofa", "MOFA"),
        ("maff", "MAFF"),
        ("mhlw", "MHLW"),
        ("undp", "UNDP"),
        ("eu", "EU"),
        ("oecd", "OECD"),
        ("ilo", "ILO"),
        ("seanf", "SEANF"),
        ("afm", "AFM"),
        ("asean", "ASEAN"),
        ("un", "UN"),
    ],
)
def test_organisation_acronym(graph, slug, acronym):
    assert Literal(acronym, lang="en") in objects(graph, iri(f"org/{slug}"), SKOS.altLabel)


@pytest.mark.parametrize(
    "unit, parent",
    [
        ("jaif-management-team", "jaif"),
        ("aichr-thailand", "aichr"),
        ("aichr-malaysia", "aichr"),
        ("meti", "government-of-japan"),
        ("mofa", "government-of-japan"),
        ("maff", "government-of-japan"),
        ("mhlw", "government-of-japan"),
        ("un-agency", "un"),
    ],
)
def test_sub_organisation(graph, unit, parent):
    assert iri(f"org/{parent}") in objects(graph, iri(f"org/{unit}"), AJ.subOrganizationOf)


def test_aichr_country_representatives(graph):
    assert one(graph, iri("org/aichr-thailand"), AJ.representsCountry) == iri("country/th")
    assert one(graph, iri("org/aichr-malaysia"), AJ.representsCountry) == iri("country/my")
    assert str(one(graph, iri("org/un-agency"), RDFS.label)) == "UN agency"


# Names the slides do not print (acronym expansions, a corrected spelling), each taken from the
# organisation's own official website: its home page is the organisation's dct:source.
OFFICIAL_SITES = {
    "asean": "https://asean.org/",
    "aichr": "https://aichr.org/",
    "seanf": "https://seanf.asia/",
    "jaif": "https://jaif.asean.org/",
    "jaif-management-team": "https://jaif.asean.org/",
    "government-of-japan": "https://www.japan.go.jp/",
    "meti": "https://www.meti.go.jp/",
    "mofa": "https://www.mofa.go.jp/",
    "maff": "https://www.maff.go.jp/",
    "mhlw": "https://www.mhlw.go.jp/",
    "un": "https://www.un.org/",
    "undp": "https://www.undp.org/",
    "ilo": "https://www.ilo.org/",
    "eu": "https://european-union.europa.eu/",
    "oecd": "https://www.oecd.org/",
}


def organisations(graph):
    return {s for s in graph.subjects(RDF.type, None) if str(s).startswith(str(ID["org/"]))}


def external_sources(graph, subject):
    return {s for s in objects(graph, subject, DCT.source) if not str(s).startswith(str(ID))}


@pytest.mark.parametrize("slug", sorted(OFFICIAL_SITES))
def test_organisation_name_from_official_website(data_graph, slug):
    org = iri(f"org/{slug}")
    site = OFFICIAL_SITES[slug]
    assert external_sources(data_graph, org) == {URIRef(site)}
    assert objects(data_graph, org, AJ.source), org
    assert any(site in str(c) for c in objects(data_graph, org, RDFS.comment)), org


def test_organisations_without_official_website_keep_the_slide_form(data_graph):
    others = organisations(data_graph) - {iri(f"org/{slug}") for slug in OFFICIAL_SITES}
    assert all(external_sources(data_graph, org) == set() for org in others)
    assert str(one(data_graph, iri("org/arab-league"), RDFS.label)) == "Arab League"


@pytest.mark.skipif(not SEED_FILE.exists(), reason="seed text (shared/seed) not available")
def test_every_organisation_named_beyond_the_slides_has_an_external_source(data_graph):
    def normal(text):
        return re.sub(r"\s+", " ", text).casefold()

    seed = normal(SEED_FILE.read_text(encoding="utf-8"))
    beyond = {
        org
        for org in organisations(data_graph)
        for name in list(data_graph.objects(org, RDFS.label)) + list(data_graph.objects(org, SKOS.altLabel))
        if normal(str(name)) not in seed
    }
    assert {org for org in beyond if not external_sources(data_graph, org)} == set()
    assert beyond == {iri(f"org/{slug}") for slug in OFFICIAL_SITES}


def test_seanf_is_not_typed_intergovernmental(graph):
    seanf = iri("org/seanf")
    assert objects(graph, seanf, RDF.type) == {AJ.Organization}
    assert Literal("SEANF", lang="en") in objects(graph, seanf, SKOS.altLabel)


def test_project_ordinals_only_where_the_title_numbers_the_project(graph):
    numbered = {
        (p, n.toPython())
        for p, n in graph.subject_objects(AJ.ordinal)
        if (p, RDF.type, AJ.Project) in graph
        or set(objects(graph, p, RDF.type)) & {AJ.JAIFProject, AJ.BHRProject, AJ.PlannedProject}
    }
    assert numbered == {(iri("project/jaif-03"), 2), (iri("project/jaif-06"), 3)}
    for project, _ in numbered:
        assert any("series" in str(c) for c in objects(graph, project, RDFS.comment)), project
    assert Literal("First JAIF supported project on BHR", lang="en") in objects(
        graph, iri("project/migrant-workers-workshop-2024"), SKOS.altLabel
    )
    assert Literal("2nd JAIF supported project of BHR", lang="en") in objects(graph, iri("project/jaif-bhr-2"), SKOS.altLabel)


@pytest.mark.parametrize(
    "code, wikidata",
    [
        ("th", "Q869"),
        ("vn", "Q881"),
        ("sg", "Q334"),
        ("my", "Q833"),
        ("id", "Q252"),
        ("jp", "Q17"),
        ("se", "Q34"),
        ("no", "Q20"),
        ("ch", "Q39"),
        ("au", "Q408"),
    ],
)
def test_country_identifiers(graph, code, wikidata):
    country = iri(f"country/{code}")
    assert (country, RDF.type, AJ.Country) in graph
    assert str(one(graph, country, AJ.iso3166Alpha2)) == code.upper()
    assert one(graph, country, SCHEMA.sameAs) == WD[wikidata]
    assert {URIRef("https://www.iso.org/iso-3166-country-codes.html"), URIRef("https://www.wikidata.org/")} <= objects(
        graph, country, DCT.source
    )


@pytest.mark.parametrize(
    "place, country",
    [
        ("jakarta", "id"),
        ("bangkok", "th"),
        ("kuala-lumpur", "my"),
        ("singapore", "sg"),
        ("asean-secretariat-hq", "id"),
    ],
)
def test_place_country(graph, place, country):
    assert (iri(f"place/{place}"), RDF.type, AJ.Place) in graph
    assert one(graph, iri(f"place/{place}"), AJ.country) == iri(f"country/{country}")
    if place in ("bangkok", "kuala-lumpur", "singapore"):  # country not on the slides: from Wikidata
        assert URIRef("https://www.wikidata.org/") in objects(graph, iri(f"place/{place}"), DCT.source)


# --- GOJ initiatives and publications ------------------------------------------------------------

GOJ_ROWS = {  # row: (year, actor, output publication)
    1: (2011, "un", "ungps"),
    2: (2014, "meti", "meti-hrdd-guidelines-2014"),
    3: (2018, "government-of-japan", "japan-nap-bhr"),
    4: (2020, "government-of-japan", "japan-nap-bhr"),
    5: (2021, "mofa", "mofa-bhr-case-studies"),
    6: (2022, "government-of-japan", "supply-chain-guidelines"),
    7: (2023, "meti", "meti-supply-chain-reference-material"),
    8: (2023, "maff", "maff-food-enterprises-guidebook"),
    9: (2023, "mhlw", "mhlw-bhr-labour-check-book"),
    10: (2023, "meti", None),
}


@pytest.mark.parametrize("row", sorted(GOJ_ROWS))
def test_goj_initiative(graph, row):
    year, actor, output = GOJ_ROWS[row]
    initiative = iri(f"initiative/goj-{row:02d}")
    assert (initiative, RDF.type, AJ.Initiative) in graph
    assert one(graph, initiative, AJ.rowNumber).toPython() == row
    assert one(graph, initiative, AJ.year) == Literal(str(year), datatype=XSD.gYear)
    assert one(graph, initiative, AJ.actor) == iri(f"org/{actor}")
    assert objects(graph, initiative, AJ.initiativeOutput) == ({iri(f"publication/{output}")} if output else set())
    if output and row != 3:
        publication = iri(f"publication/{output}")
        assert one(graph, publication, AJ.publisher) == iri(f"org/{actor}")
        assert one(graph, publication, AJ.year) == Literal(str(year), datatype=XSD.gYear)


def test_ten_goj_initiatives(graph):
    assert len(set(graph.subjects(RDF.type, AJ.Initiative))) == 10


def test_nap_aims(graph):
    text = str(one(graph, iri("publication/japan-nap-bhr"), DCT.description))
    for aim in (
        "Protect and promote human rights throughout society, including the international community",
        "Ensure and enhance the international competitiveness and sustainability of Japanese companies",
        "Contribution to the achievement of the SDGs",
    ):
        assert aim in text


@pytest.mark.parametrize("slug", ["aichr-fywp-2021-2025", "aichr-priority-programmes-2024"])
def test_aichr_plans(graph, slug):
    assert (iri(f"publication/{slug}"), RDF.type, AJ.PolicyDocument) in graph
    assert one(graph, iri(f"publication/{slug}"), AJ.publisher) == iri("org/aichr")


# --- next steps, criteria, reasons, themes ---------------------------------------------------------

CRITERIA = {
    "social-economic-impact": "With great social/economic impact",
    "aligned-with-work-plan": "In line with the AICHR Five-Year Work Plan and the thematic areas of work",
    "multi-year": "Possibly a multi-year project to enhance effectiveness through consistency",
    "collaboration": "Collaborating with relevant organizations to make use of their knowledge and network",
}


def test_next_step_new_bhr_project_with_four_criteria(graph):
    rows = select(
        graph,
        """SELECT ?c ?definition WHERE {
        meeting:interface-4 aj:outcome ?o . ?o aj:criterion ?c .
        ?c a aj:Criterion ; skos:definition ?definition ; skos:inScheme scheme:new-project-criteria }""",
    )
    assert {str(c): str(d) for c, d in rows} == {str(iri(f"criterion/{k}")): v for k, v in CRITERIA.items()}


def test_next_steps_of_slide_10(graph):
    rows = select(graph, "SELECT ?s WHERE { ?s aj:source slide:10 ; a ?type . FILTER(?type != aj:Slide) }")
    found = {s for (s,) in rows}
    assert {
        iri("meeting/interface-4"),
        iri("project/jaif-bhr-2"),
        iri("meeting/aichr-afm-interface-2025"),
        iri("org/aichr-malaysia"),
    } <= found


REASONS = {  # perspective: {reason: slide sentence}
    "economic": {
        "global-supply-chains": "ASEAN and Japan are economically interconnected, many Japanese companies having "
        "manufacturing operations in the ASEAN. Business practices that respect human rights enhance the "
        "reliability and sustainability of supply chains.",
        "investment-environment": "Companies that respect human rights are more likely to gain the trust of "
        "international investors and partners, resulting in an improved investment environment.",
    },
    "social": {
        "workers-rights": "With diverse workforces active in both ASEAN and Japan, protecting workers' rights is a "
        "crucial issue. When companies respect workers' human rights, it creates a more comfortable working "
        "environment and boosts productivity.",
        "local-communities": "By conducting responsible business in local communities, companies can contribute to "
        "sustainable development, which in turn enhances their brand value.",
    },
    "legal-ethical": {
        "international-standards": "ASEAN and Japan are advancing initiatives based on the UNGP requiring "
        "compliance with international standards.",
        "social-responsibility": "As corporate social responsibility becomes increasingly important, respecting "
        "human rights is a crucial obligation for companies as part of their CSR efforts.",
    },
}


@pytest.mark.parametrize("perspective", sorted(REASONS))
def test_reasons_bhr_matters(graph, perspective):
    scheme = iri("scheme/bhr-importance")
    top = iri(f"reason/{perspective}")
    assert (top, SKOS.topConceptOf, scheme) in graph and (scheme, SKOS.hasTopConcept, top) in graph
    narrower = objects(graph, top, SKOS.narrower)
    assert narrower == {iri(f"reason/{r}") for r in REASONS[perspective]}
    for reason, sentence in REASONS[perspective].items():
        concept = iri(f"reason/{reason}")
        assert (concept, RDF.type, AJ.Reason) in graph
        assert str(one(graph, concept, SKOS.definition)) == sentence
        assert (iri("theme/business-and-human-rights"), AJ.reason, concept) in graph


def test_priority_areas(graph):
    areas = set(graph.subjects(RDF.type, AJ.PriorityArea))
    assert areas == {
        iri(f"theme/{t}")
        for t in (
            "rights-of-persons-with-disabilities",
            "empowerment-of-women",
            "trafficking-in-persons",
            "business-and-human-rights",
        )
    }


def test_concept_hierarchies_are_stated_both_ways(data_graph):
    broader = set(data_graph.subject_objects(SKOS.broader))
    narrower = {(n, b) for b, n in data_graph.subject_objects(SKOS.narrower)}
    assert broader == narrower and broader
    top_of = set(data_graph.subject_objects(SKOS.topConceptOf))
    has_top = {(c, s) for s, c in data_graph.subject_objects(SKOS.hasTopConcept)}
    assert top_of == has_top and top_of


def test_every_concept_in_a_scheme_with_pref_label(data_graph):
    concept_types = {AJ.Theme, AJ.PriorityArea, AJ.Reason, AJ.ProjectStatus, AJ.Criterion}
    concepts = {s for t in concept_types for s in data_graph.subjects(RDF.type, t)}
    assert len(concepts) == 30
    for concept in concepts:
        assert one(data_graph, concept, SKOS.inScheme) in set(data_graph.subjects(RDF.type, SKOS.ConceptScheme))
        assert one(data_graph, concept, SKOS.prefLabel) == one(data_graph, concept, RDFS.label)


def test_project_statuses(graph):
    rows = select(graph, "SELECT ?s WHERE { ?s a aj:ProjectStatus ; skos:inScheme scheme:project-status }")
    assert {s for (s,) in rows} == {iri(f"status/{s}") for s in ("implemented", "planned", "closing-process")}
