"""Self-descriptions of the service: the SPARQL 1.1 Service Description (and its link to VoID)."""

from __future__ import annotations

from aichr_kg.formats import Format
from aichr_kg.namespaces import DCT, SD, VOID, W3C_FORMATS, graph_iri
from aichr_kg.web.context import get_manifest, get_settings, public_root
from aichr_kg.web.rdf_response import convert_turtle


def service_description(fmt: Format) -> bytes:
    """The Service Description of /sparql: formats, the union default graph, named graphs, the VoID dataset."""
    base = get_settings().base_iri
    endpoint = public_root() + "sparql"
    graphs = get_manifest().graphs
    named = "\n".join(
        f"""    sd:namedGraph [ sd:name <{graph_iri(base, name)}> ;
        sd:graph [ a sd:Graph ; void:triples {info.triples} ] ] ;"""
        for name, info in graphs.items()
    )
    turtle = f"""@prefix sd: <{SD}> .
@prefix void: <{VOID}> .
@prefix dct: <{DCT}> .
@prefix formats: <{W3C_FORMATS}> .

<{endpoint}> a sd:Service ;
    sd:endpoint <{endpoint}> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:feature sd:UnionDefaultGraph ;
    sd:resultFormat formats:SPARQL_Results_JSON , formats:SPARQL_Results_XML , formats:SPARQL_Results_CSV ,
        formats:SPARQL_Results_TSV , formats:Turtle , formats:N-Triples , formats:JSON-LD , formats:RDF_XML ,
        formats:TriG , formats:N-Quads ;
    dct:description "Read-only SPARQL 1.1 endpoint of aichr-kg. SERVICE is refused; the default graph is the union of the named graphs." ;
    sd:defaultDataset [ a sd:Dataset ;
        void:inDataset <{public_root()}.well-known/void> ;
        sd:defaultGraph [ a sd:Graph ; void:triples {get_manifest().triples} ] ;
{named.rstrip(" ;")}
    ] .
"""
    return convert_turtle(turtle, fmt, base)
