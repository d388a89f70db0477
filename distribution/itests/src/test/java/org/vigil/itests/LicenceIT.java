package org.vigil.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Issue 12: every jar the appliance ships (lib/, bundle/, and each jar embedded in a bundle) has a licence on
 * the allow list (distribution/app/src/licences/allowed.txt). A jar's licences are read from its own pom
 * (META-INF/maven/G/A/pom.xml, or the local repository's by its coordinates), up its parent poms, else from its
 * Bundle-License header; a jar with none fails too. LICENSE and NOTICE are in the layout.
 */
public class LicenceIT {
    /** Jars without Maven metadata, by Bundle-SymbolicName: their coordinates (the version is Bundle-Version). */
    static final Map<String, String> COORDINATES = Map.of("picocli", "info.picocli:picocli", "com.sun.jna",
            "net.java.dev.jna:jna", "com.github.jnr.jffi.native", "com.github.jnr:jffi");

    private final Path home = Path.of(System.getProperty("vigil.dist")).toAbsolutePath();
    private final Path repo = Path.of(System.getProperty("vigil.m2", System.getProperty("user.home") + "/.m2/repository"));
    private final Map<String, Pattern> allowed = new LinkedHashMap<>();

    @Test
    public void everyEmbeddedJarHasAnAllowedLicence() throws Exception {
        Path list = home.resolve("../../src/licences/allowed.txt").normalize();
        for (String line : Files.readAllLines(list)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] f = line.split("\t", 2);
                allowed.put(f[0], Pattern.compile(f[1].strip(), Pattern.CASE_INSENSITIVE));
            }
        }
        List<String> problems = new ArrayList<>();
        List<String> report = new ArrayList<>();
        List<Path> jars = new ArrayList<>();
        for (String d : List.of("lib", "bundle")) {
            try (Stream<Path> s = Files.list(home.resolve(d))) {
                s.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(jars::add);
            }
        }
        for (Path jar : jars) {
            byte[] bytes = Files.readAllBytes(jar);
            check(home.relativize(jar).toString(), bytes, problems, report);
            try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(bytes))) {
                for (JarEntry e; (e = in.getNextJarEntry()) != null;) {
                    if (e.getName().endsWith(".jar")) {
                        check(home.relativize(jar) + "!/" + e.getName(), in.readAllBytes(), problems, report);
                    }
                }
            }
        }
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "licences.txt"), report);
        if (!problems.isEmpty()) {
            fail("licences not on the allow list " + list + ":\n  " + String.join("\n  ", problems));
        }
        assertTrue(Files.isRegularFile(home.resolve("LICENSE")));
        assertTrue(Files.readString(home.resolve("NOTICE")).contains("jnr-ffi"));
    }

    /**
     * Issue 12's footprint: jnr-ffi and jffi are embedded once, in the native bundle (each copy cost
     * its own class metadata and its own libjffi), and ASM in no bundle (the ASM bundles serve it).
     */
    @Test
    public void theNativeBindingIsEmbeddedOnceAndAsmNowhere() throws Exception {
        Map<String, List<String>> embedders = new TreeMap<>();
        try (Stream<Path> s = Files.list(home.resolve("bundle"))) {
            for (Path jar : s.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
                    String bsn = in.getManifest() == null ? jar.getFileName().toString()
                            : String.valueOf(in.getManifest().getMainAttributes().getValue("Bundle-SymbolicName")).split(";")[0];
                    for (JarEntry e; (e = in.getNextJarEntry()) != null;) {
                        String n = e.getName();
                        if (n.endsWith(".jar") && (n.contains("jnr") || n.contains("jffi") || n.contains("asm"))) {
                            embedders.computeIfAbsent(n.substring(n.lastIndexOf('/') + 1), k -> new ArrayList<>()).add(bsn);
                        }
                    }
                }
            }
        }
        Map<String, List<String>> expected = new TreeMap<>();
        for (String lib : List.of("jffi-native.jar", "jffi.jar", "jnr-a64asm.jar", "jnr-ffi.jar", "jnr-x86asm.jar")) {
            expected.put(lib, List.of("org.vigil.native"));
        }
        assertEquals(expected, embedders);
    }

    private void check(String where, byte[] jar, List<String> problems, List<String> report) throws Exception {
        Map<String, byte[]> poms = new LinkedHashMap<>();
        List<String[]> coordinates = new ArrayList<>();
        Manifest manifest;
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            manifest = in.getManifest();
            for (JarEntry e; (e = in.getNextJarEntry()) != null;) {
                String n = e.getName();
                if (n.startsWith("META-INF/maven/") && n.endsWith("/pom.properties")) {
                    Properties p = new Properties();
                    p.load(new ByteArrayInputStream(in.readAllBytes()));
                    coordinates.add(new String[] { p.getProperty("groupId"), p.getProperty("artifactId"), p
                            .getProperty("version") });
                } else if (n.startsWith("META-INF/maven/") && n.endsWith("/pom.xml")) {
                    poms.put(n.substring("META-INF/maven/".length(), n.length() - "/pom.xml".length()), in.readAllBytes());
                }
            }
        }
        String bsn = manifest == null ? null : manifest.getMainAttributes().getValue("Bundle-SymbolicName");
        if (bsn != null) {
            bsn = bsn.split(";")[0].strip();
        }
        if (coordinates.isEmpty() && bsn != null && COORDINATES.containsKey(bsn)) {
            String[] ga = COORDINATES.get(bsn).split(":");
            coordinates.add(new String[] { ga[0], ga[1], manifest.getMainAttributes().getValue("Bundle-Version") });
        }
        if (coordinates.isEmpty()) {
            List<String> names = bundleLicense(manifest);
            if (names.isEmpty()) {
                problems.add(where + ": no Maven coordinates and no Bundle-License: licence unknown");
                return;
            }
            verdict(where + " (" + bsn + ")", names, problems, report);
            return;
        }
        for (String[] c : coordinates) {
            byte[] own = poms.get(c[0] + "/" + c[1]);
            List<String> names = licences(own != null ? own : readPom(c[0], c[1], c[2]), 0);
            if (names.isEmpty()) {
                // a module of a shaded jar whose parent pom is not in the repository: the jar's own header
                names = bundleLicense(manifest);
            }
            verdict(where + " " + String.join(":", c), names, problems, report);
        }
    }

    /** The licences of an OSGi Bundle-License header (SPDX ids or URLs, attributes dropped). */
    private static List<String> bundleLicense(Manifest manifest) {
        List<String> names = new ArrayList<>();
        String header = manifest == null ? null : manifest.getMainAttributes().getValue("Bundle-License");
        if (header != null) {
            for (String part : header.split(",")) {
                names.add(part.split(";")[0].strip());
            }
        }
        return names;
    }

    private void verdict(String what, List<String> names, List<String> problems, List<String> report) {
        if (names.isEmpty()) {
            problems.add(what + ": no licence in its pom or its parents");
            return;
        }
        for (String name : names) {
            for (Map.Entry<String, Pattern> a : allowed.entrySet()) {
                if (a.getValue().matcher(name.strip()).matches()) {
                    report.add(what + ": " + a.getKey() + " (declared: " + String.join(" | ", names) + ")");
                    return;
                }
            }
        }
        problems.add(what + ": " + String.join(" | ", names));
    }

    private byte[] readPom(String g, String a, String v) throws IOException {
        if (g == null || a == null || v == null || v.contains("${")) {
            return null;
        }
        Path p = repo.resolve(g.replace('.', '/')).resolve(a).resolve(v).resolve(a + "-" + v + ".pom");
        return Files.exists(p) ? Files.readAllBytes(p) : null;
    }

    /** The pom's licence names (or URLs where a name is missing), else its parent's. */
    private List<String> licences(byte[] pom, int depth) throws Exception {
        List<String> out = new ArrayList<>();
        if (pom == null || depth > 10) {
            return out;
        }
        Document doc;
        try (InputStream in = new ByteArrayInputStream(pom)) {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            doc = f.newDocumentBuilder().parse(in);
        }
        Element project = doc.getDocumentElement();
        for (Element ls : children(project, "licenses")) {
            for (Element l : children(ls, "license")) {
                String name = text(l, "name");
                out.add(name != null ? name : String.valueOf(text(l, "url")));
            }
        }
        if (!out.isEmpty()) {
            return out;
        }
        for (Element parent : children(project, "parent")) {
            return licences(readPom(text(parent, "groupId"), text(parent, "artifactId"), text(parent, "version")),
                    depth + 1);
        }
        return out;
    }

    private static List<Element> children(Element e, String name) {
        List<Element> out = new ArrayList<>();
        NodeList nl = e.getChildNodes();
        for (int i = 0; i < nl.getLength(); i++) {
            Node n = nl.item(i);
            if (n instanceof Element c && c.getTagName().equals(name)) {
                out.add(c);
            }
        }
        return out;
    }

    private static String text(Element e, String name) {
        List<Element> c = children(e, name);
        return c.isEmpty() ? null : c.get(0).getTextContent().strip();
    }
}
