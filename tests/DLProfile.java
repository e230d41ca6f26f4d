/*
 * OWLAPI's OWL 2 DL profile check of one RDF file: the check ROBOT's
 * `validate-profile --profile DL` runs (as in the OBO Ontology Development Kit), without ROBOT.
 * It exists because HermiT (tests/test_owl_reasoner.py) reasons over input that breaks OWL 2 DL's
 * rules, such as terms used but never declared, which DL tools like ROBOT and Protégé refuse or report.
 *
 * Runs with Java's single-file source launcher on the OWLAPI jar owlready2 bundles:
 *     java -cp owlapi-distribution-3.4.3-bin.jar DLProfile.java FILE
 * One file, holding every triple to check (tests/owl_profile.py merges the project's files into it):
 * OWLAPI types each term from the declarations of the document it parses, so files checked apart
 * would each miss the others' declarations and report punning that is not there.
 * Prints one line per violation, "kind TAB term TAB axiom" (term empty where the violation names
 * none), and exits 0; a file that does not load exits 1 with OWLAPI's message. Imports are refused,
 * not fetched: the check reads only the file it is given.
 */

import java.io.File;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;
import org.semanticweb.owlapi.profiles.UseOfUndeclaredAnnotationProperty;
import org.semanticweb.owlapi.profiles.UseOfUndeclaredClass;
import org.semanticweb.owlapi.profiles.UseOfUndeclaredDataProperty;
import org.semanticweb.owlapi.profiles.UseOfUndeclaredObjectProperty;

public class DLProfile {
    public static void main(String[] arguments) throws Exception {
        if (arguments.length != 1) {
            System.err.println("usage: DLProfile FILE");
            System.exit(2);
        }
        OWLOntology checked = managerRefusingImports().loadOntologyFromOntologyDocument(new File(arguments[0]));
        for (OWLProfileViolation violation : new OWL2DLProfile().checkOntology(checked).getViolations()) {
            String axiom = String.valueOf(violation.getAxiom()).replaceAll("\\s+", " ");
            System.out.println(violation.getClass().getSimpleName() + "\t" + term(violation) + "\t" + axiom);
        }
    }

    /** A manager whose only IRI mapper fails: OWLAPI would otherwise fetch each import from the web. */
    private static OWLOntologyManager managerRefusingImports() {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        manager.clearIRIMappers();
        manager.addIRIMapper(imported -> {
            throw new IllegalArgumentException("imports are not followed; " + imported + " is imported");
        });
        return manager;
    }

    /** The IRI a violation is about, for the kinds that name one; "" for the others. */
    private static String term(OWLProfileViolation violation) {
        if (violation instanceof UseOfUndeclaredClass v) return v.getOWLClass().getIRI().toString();
        if (violation instanceof UseOfUndeclaredObjectProperty v) return v.getOWLObjectProperty().getIRI().toString();
        if (violation instanceof UseOfUndeclaredDataProperty v) return v.getOWLDataProperty().getIRI().toString();
        if (violation instanceof UseOfUndeclaredAnnotationProperty v) return v.getOWLAnnotationProperty().getIRI().toString();
        return "";
    }
}
