package org.neuralj.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles and runs every Java snippet of {@code README.md} and {@code docs/*.md}, so that the documentation cannot
 * drift away from the code.
 *
 * <p>The convention, per page (a page's package is {@code snippets.<page>}, e.g. {@code snippets.readme},
 * {@code snippets.getting_started}):
 * <ul>
 *   <li>A fenced {@code ```java} block that declares a top-level type (after optional {@code package} and
 *       {@code import} lines, a line at column 0 starting with {@code public}, {@code final}, {@code abstract},
 *       {@code class}, {@code record}, {@code interface} or {@code enum}) is a <b>compilation unit</b>: it becomes
 *       its own source file, in the block's own {@code package} if it declares one, otherwise in the page's
 *       package.</li>
 *   <li>Every other {@code ```java} block is <b>statements</b>: the page's statement blocks are concatenated, in page
 *       order, into {@code public static void main(String[] a) throws Exception} of {@code snippets.<page>.Page}, so
 *       a later block may use the variables of an earlier one. Leading {@code import} lines of a statement block move
 *       to the top of {@code Page}.</li>
 *   <li>Every source file gets the default imports {@link #DEFAULT_IMPORTS} (those packages that exist), and
 *       {@code Page} also imports the packages the page's compilation units declare.</li>
 *   <li>A fenced block of any language whose first line is {@code # META-INF/services/<name>} is written as that
 *       resource file (the remaining lines) on the page's classpath: that is how a page shows, and tests, a layer's
 *       registration line.</li>
 * </ul>
 * Each page is compiled with the system Java compiler against this module's test classpath, then its {@code Page}
 * runs in a fresh JVM (with {@code --add-modules=jdk.incubator.vector}) whose working directory is an empty
 * temporary folder, so the files a snippet writes land there. Failures name the page and the line of the Markdown
 * file. Blocks tagged anything but {@code java} (e.g. {@code sh}, {@code text}) are not run.
 */
class DocSnippetsTest {

    /** Imported into every snippet source file, when the package exists. */
    static final List<String> DEFAULT_IMPORTS = List.of(
            "org.neuralj.core", "org.neuralj.layers", "org.neuralj.optim", "org.neuralj.datasets",
            "org.neuralj.io", "org.neuralj.testkit", "org.neuralj.viz", "java.nio.file", "java.util");

    static final int README_LIMIT_BYTES = 12_000;
    private static final long RUN_TIMEOUT_SECONDS = 120;

    private static final Pattern FENCE = Pattern.compile("^(\\s*)(```+|~~~+)\\s*([^\\s`]*)?.*$");
    private static final Pattern TYPE_DECLARATION = Pattern.compile(
            "^(?:(?:public|final|abstract|sealed|non-sealed|strictfp)\\s+)*(?:class|record|interface|enum)\\s+(\\w+).*");
    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "^public\\s+(?:(?:final|abstract|sealed|non-sealed|strictfp)\\s+)*(?:class|record|interface|enum)\\s+(\\w+).*");
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;\\s*$");
    private static final Pattern SERVICE = Pattern.compile("^#\\s*(META-INF/services/\\S+)\\s*$");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    @TempDir
    Path work;

    // ---------------------------------------------------------------- the pages

    /** The repository root: the parent of this module's folder (Surefire runs tests in the module's folder). */
    static Path repositoryRoot() {
        Path module = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        Path root = module.getParent();
        if (root == null || !Files.isRegularFile(root.resolve("README.md"))) {
            throw new IllegalStateException("no README.md above " + module);
        }
        return root;
    }

    /** README.md and every docs/*.md, in that order. */
    static List<Path> pages() throws IOException {
        Path root = repositoryRoot();
        List<Path> pages = new ArrayList<>();
        pages.add(root.resolve("README.md"));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /** A fenced block: its info string ("java", "sh", ...), its first content line (1-based) and its lines. */
    record Block(String language, int firstLine, List<String> lines) {
    }

    static List<Block> blocks(List<String> markdown) {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < markdown.size(); i++) {
            Matcher open = FENCE.matcher(markdown.get(i));
            if (!open.matches()) {
                continue;
            }
            String indent = open.group(1), fence = open.group(2);
            String language = open.group(3) == null ? "" : open.group(3).toLowerCase(Locale.ROOT);
            List<String> lines = new ArrayList<>();
            int j = i + 1;
            for (; j < markdown.size(); j++) {
                String line = markdown.get(j);
                if (line.strip().startsWith(fence) && line.strip().replace(fence.substring(0, 1), "").isEmpty()) {
                    break;
                }
                lines.add(line.startsWith(indent) ? line.substring(indent.length()) : line.stripLeading());
            }
            blocks.add(new Block(language, i + 2, lines));
            i = j;
        }
        return blocks;
    }

    static String packageOf(Path page) {
        String name = page.getFileName().toString().replaceFirst("\\.md$", "");
        return "snippets." + name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
    }

    // ---------------------------------------------------------------- the generated sources

    /** One generated source file and, for each of its lines, the Markdown line it came from (0: generated). */
    record Source(String packageName, String typeName, List<String> lines, List<Integer> origin) {
        Source(String packageName, String typeName) {
            this(packageName, typeName, new ArrayList<>(), new ArrayList<>());
        }

        void add(String line, int markdownLine) {
            lines.add(line);
            origin.add(markdownLine);
        }

        Path path(Path sourceRoot) {
            return sourceRoot.resolve(packageName.replace('.', '/')).resolve(typeName + ".java");
        }

        int markdownLine(long javaLine) {
            return javaLine >= 1 && javaLine <= origin.size() ? origin.get((int) javaLine - 1) : 0;
        }
    }

    /** What a page turns into: sources (the last one is {@code Page}), resource files, and the snippet count. */
    record PageProgram(Path page, String packageName, List<Source> sources, Map<String, List<String>> resources,
                       int snippets, boolean hasStatements) {
    }

    static PageProgram program(Path page) throws IOException {
        String pkg = packageOf(page);
        List<String> imports = existingDefaultImports();
        List<Source> sources = new ArrayList<>();
        Map<String, List<String>> resources = new LinkedHashMap<>();
        List<String> unitPackages = new ArrayList<>();
        List<String> hoisted = new ArrayList<>();
        List<Integer> hoistedOrigin = new ArrayList<>();
        List<Block> statements = new ArrayList<>();
        int snippets = 0;
        for (Block block : blocks(Files.readAllLines(page, StandardCharsets.UTF_8))) {
            if (!block.lines().isEmpty() && SERVICE.matcher(block.lines().get(0)).matches()) {
                Matcher m = SERVICE.matcher(block.lines().get(0));
                m.matches();
                resources.computeIfAbsent(m.group(1), k -> new ArrayList<>())
                        .addAll(block.lines().subList(1, block.lines().size()));
                continue;
            }
            if (!block.language().equals("java")) {
                continue;
            }
            snippets++;
            String typeName = declaredType(block.lines());
            if (typeName == null) {
                int k = 0;
                for (; k < block.lines().size(); k++) {
                    String line = block.lines().get(k);
                    if (line.startsWith("import ")) {
                        hoisted.add(line);
                        hoistedOrigin.add(block.firstLine() + k);
                    } else if (!line.isBlank()) {
                        break;
                    }
                }
                statements.add(new Block("java", block.firstLine() + k, block.lines().subList(k, block.lines().size())));
                continue;
            }
            String unitPackage = pkg;
            for (String line : block.lines()) {
                Matcher m = PACKAGE.matcher(line);
                if (m.matches()) {
                    unitPackage = m.group(1);
                }
            }
            if (!unitPackages.contains(unitPackage)) {
                unitPackages.add(unitPackage);
            }
            Source unit = new Source(unitPackage, typeName);
            boolean ownPackage = !unitPackage.equals(pkg);
            if (!ownPackage) {
                unit.add("package " + pkg + ";", 0);
            }
            int k = 0;
            if (ownPackage) {   // the package line first, then the default imports
                for (; k < block.lines().size(); k++) {
                    unit.add(block.lines().get(k), block.firstLine() + k);
                    if (PACKAGE.matcher(block.lines().get(k)).matches()) {
                        k++;
                        break;
                    }
                }
            }
            for (String i : imports) {
                unit.add("import " + i + ".*;", 0);
            }
            for (; k < block.lines().size(); k++) {
                unit.add(block.lines().get(k), block.firstLine() + k);
            }
            sources.add(unit);
        }
        Source main = new Source(pkg, "Page");
        main.add("package " + pkg + ";", 0);
        for (String i : imports) {
            main.add("import " + i + ".*;", 0);
        }
        for (String p : unitPackages) {
            if (!p.equals(pkg)) {
                main.add("import " + p + ".*;", 0);
            }
        }
        for (int k = 0; k < hoisted.size(); k++) {
            main.add(hoisted.get(k), hoistedOrigin.get(k));
        }
        main.add("public class Page {", 0);
        main.add("public static void main(String[] a) throws Exception {", 0);
        for (Block block : statements) {
            for (int k = 0; k < block.lines().size(); k++) {
                main.add(block.lines().get(k), block.firstLine() + k);
            }
        }
        main.add("}", 0);
        main.add("}", 0);
        sources.add(main);
        return new PageProgram(page, pkg, sources, resources, snippets, !statements.isEmpty());
    }

    /** The name of the type a compilation-unit block declares, or null for a block of statements. */
    static String declaredType(List<String> lines) {
        String first = null;
        for (String line : lines) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("import ") || t.startsWith("package ") || t.startsWith("//")
                    || t.startsWith("/*") || t.startsWith("*") || t.startsWith("@")) {
                continue;
            }
            Matcher m = TYPE_DECLARATION.matcher(line);
            if (!m.matches()) {
                return null;   // the first real line is a statement
            }
            first = m.group(1);
            break;
        }
        if (first == null) {
            return null;
        }
        for (String line : lines) {   // the file is named after the public type, if any
            Matcher m = PUBLIC_TYPE.matcher(line);
            if (m.matches()) {
                return m.group(1);
            }
        }
        return first;
    }

    static List<String> existingDefaultImports() {
        ClassLoader loader = DocSnippetsTest.class.getClassLoader();
        return DEFAULT_IMPORTS.stream()
                .filter(p -> p.startsWith("java.") || loader.getResource(p.replace('.', '/')) != null)
                .collect(Collectors.toList());
    }

    /** The test classpath, also when Surefire hides it behind a manifest-only jar. */
    static String testClassPath() {
        String cp = System.getProperty("java.class.path", "");
        String surefire = System.getProperty("surefire.test.class.path");
        if (surefire != null && !surefire.isBlank()
                && (cp.contains("surefirebooter") || !cp.contains(File.pathSeparator))) {
            return surefire;
        }
        return cp;
    }

    // ---------------------------------------------------------------- compile and run

    @TestFactory
    List<DynamicTest> everyJavaSnippetCompilesAndRuns() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        int[] total = {0};
        for (Path page : pages()) {
            PageProgram program = program(page);
            if (program.snippets() == 0 && program.resources().isEmpty()) {
                continue;
            }
            total[0] += program.snippets();
            tests.add(DynamicTest.dynamicTest(repositoryRoot().relativize(page) + " (" + program.snippets()
                    + " snippets)", () -> compileAndRun(program)));
        }
        assertThat(total[0]).as("Java snippets found").isPositive();
        return tests;
    }

    private void compileAndRun(PageProgram program) throws Exception {
        String page = repositoryRoot().relativize(program.page()).toString();
        Path dir = Files.createDirectories(work.resolve(program.packageName()));
        Path sourceRoot = Files.createDirectories(dir.resolve("src"));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        List<Path> files = new ArrayList<>();
        for (Source source : program.sources()) {
            Path file = source.path(sourceRoot);
            if (files.contains(file)) {
                fail(page + ": two snippets declare " + source.packageName() + "." + source.typeName());
            }
            Files.createDirectories(file.getParent());
            Files.write(file, source.lines(), StandardCharsets.UTF_8);
            files.add(file);
        }
        for (Map.Entry<String, List<String>> resource : program.resources().entrySet()) {
            Path file = classes.resolve(resource.getKey());
            Files.createDirectories(file.getParent());
            Files.write(file, resource.getValue(), StandardCharsets.UTF_8);
        }
        String classPath = classes + File.pathSeparator + testClassPath();

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a JDK's compiler (the tests must run on a JDK, not a JRE)").isNotNull();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        boolean compiled;
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            compiled = javac.getTask(null, fm, diagnostics,
                    List.of("-classpath", classPath, "-d", classes.toString(), "-encoding", "UTF-8", "-proc:none",
                            "-Xlint:none", "-nowarn"),
                    null, fm.getJavaFileObjectsFromPaths(files)).call();
        }
        if (!compiled) {
            StringBuilder report = new StringBuilder(page + ": the snippets do not compile\n");
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() != Diagnostic.Kind.ERROR) {
                    continue;
                }
                Source source = sourceOf(program, d.getSource() == null ? null : d.getSource().toUri());
                int line = source == null ? 0 : source.markdownLine(d.getLineNumber());
                report.append("  ").append(page).append(':').append(line > 0 ? line : "?")
                        .append(line > 0 ? "" : " (generated " + (source == null ? "?" : source.typeName())
                                + ".java:" + d.getLineNumber() + ")")
                        .append(": ").append(d.getMessage(Locale.ROOT)).append('\n');
                if (line > 0) {
                    report.append("      ").append(source.lines().get((int) d.getLineNumber() - 1).strip()).append('\n');
                }
            }
            fail(report.toString());
        }
        if (!program.hasStatements()) {
            return;
        }

        Path runDir = Files.createDirectories(dir.resolve("run"));
        Path out = dir.resolve("stdout.txt"), err = dir.resolve("stderr.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // a native crash (exit code 134 or 139, e.g. inside ONNX Runtime) leaves its report in target/, not in the
        // deleted working directory
        String crashReport = "-XX:ErrorFile=" + Path.of("target", "snippets-hs_err_" + program.packageName() + "_%p.log")
                .toAbsolutePath();
        // -Xss4m: ONNX Runtime 1.29's native start-up overflows the default 1 MB stack of the main thread when the
        // class path is long (measured: a SIGSEGV from about 4,700 characters on; this one has 7,000)
        Process process = new ProcessBuilder(java, "--add-modules=jdk.incubator.vector", "-Djava.awt.headless=true",
                "-Xss4m", crashReport, "-cp", classPath, program.packageName() + ".Page")
                .directory(runDir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!process.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            fail(page + ": the snippets did not finish within " + RUN_TIMEOUT_SECONDS + " s\n" + tail(out) + tail(err));
        }
        System.out.println("---- " + page + ": " + program.snippets() + " snippets, output:\n" + tail(out));
        if (process.exitValue() != 0) {
            fail(page + ": the snippets failed (exit code " + process.exitValue() + ")\n"
                    + withMarkdownLines(tail(err), program, page) + "\nstandard output:\n" + tail(out));
        }
    }

    private static Source sourceOf(PageProgram program, URI uri) {
        if (uri == null) {
            return null;
        }
        String path = uri.getPath();
        for (Source s : program.sources()) {
            if (path.endsWith("/" + s.packageName().replace('.', '/') + "/" + s.typeName() + ".java")) {
                return s;
            }
        }
        return null;
    }

    /** Stack-trace lines such as {@code (Page.java:12)} also get the Markdown line: {@code (Page.java:12 = README.md:40)}. */
    private static String withMarkdownLines(String text, PageProgram program, String page) {
        for (Source s : program.sources()) {
            Matcher m = Pattern.compile("\\(" + Pattern.quote(s.typeName()) + "\\.java:(\\d+)\\)").matcher(text);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                int line = s.markdownLine(Long.parseLong(m.group(1)));
                m.appendReplacement(sb, Matcher.quoteReplacement(
                        "(" + s.typeName() + ".java:" + m.group(1) + (line > 0 ? " = " + page + ":" + line : "") + ")"));
            }
            m.appendTail(sb);
            text = sb.toString();
        }
        return text;
    }

    private static String tail(Path file) {
        try {
            if (!Files.exists(file)) {
                return "";
            }
            String s = Files.readString(file, StandardCharsets.UTF_8);
            return s.length() <= 6000 ? s : "...\n" + s.substring(s.length() - 6000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- the index

    @Test
    void readmeIsAnIndexOfAtMost12000Bytes() throws IOException {
        assertThat(Files.size(repositoryRoot().resolve("README.md"))).isLessThanOrEqualTo(README_LIMIT_BYTES);
    }

    @Test
    void everyDocsPageIsLinkedFromTheReadme() throws IOException {
        Path root = repositoryRoot();
        String readme = Files.readString(root.resolve("README.md"), StandardCharsets.UTF_8);
        List<String> linked = new ArrayList<>();
        Matcher m = LINK.matcher(readme);
        while (m.find()) {
            linked.add(m.group(1).replaceFirst("#.*$", ""));
        }
        for (Path page : pages().subList(1, pages().size())) {
            assertThat(linked).as("README.md links docs pages").contains("docs/" + page.getFileName());
        }
    }

    /** Every relative link of every page points at a file of the repository (never outside it). */
    @Test
    void relativeLinksStayInsideTheRepositoryAndResolve() throws IOException {
        Path root = repositoryRoot().normalize();
        List<String> broken = new ArrayList<>();
        for (Path page : pages()) {
            List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = LINK.matcher(lines.get(i));
                while (m.find()) {
                    String target = m.group(1);
                    if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                        continue;   // https:, mailto:
                    }
                    int hash = target.indexOf('#');
                    String file = hash < 0 ? target : target.substring(0, hash);
                    Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                    if (!resolved.startsWith(root) || !Files.exists(resolved)) {
                        broken.add(root.relativize(page) + ":" + (i + 1) + ": " + target);
                    } else if (hash >= 0 && resolved.toString().endsWith(".md")
                            && !anchors(resolved).contains(target.substring(hash + 1))) {
                        broken.add(root.relativize(page) + ":" + (i + 1) + ": " + target + " (no such heading)");
                    }
                }
            }
        }
        assertThat(broken).as("links that leave the repository or point nowhere").isEmpty();
    }

    /** GitHub's anchors of a page's headings: lower case, punctuation dropped, spaces to hyphens. */
    static List<String> anchors(Path page) throws IOException {
        List<String> anchors = new ArrayList<>();
        boolean inFence = false;
        for (String line : Files.readAllLines(page, StandardCharsets.UTF_8)) {
            if (FENCE.matcher(line).matches()) {
                inFence = !inFence;
            } else if (!inFence && line.startsWith("#")) {
                String text = line.replaceFirst("^#+\\s*", "").strip().toLowerCase(Locale.ROOT);
                anchors.add(text.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }

    @Test
    void theSnippetConventionSplitsUnitsFromStatements() {
        assertThat(declaredType(List.of("import java.util.List;", "", "public final class A {", "}"))).isEqualTo("A");
        assertThat(declaredType(List.of("record P(int x) {}", "public class Q {}"))).isEqualTo("Q");
        assertThat(declaredType(List.of("// a comment", "Sequential net = null;"))).isNull();
        assertThat(declaredType(List.of("package p;", "/** Doc", " * more */", "@Deprecated", "class C {}")))
                .isEqualTo("C");
        assertThat(declaredType(List.of("var x = new Object() { };"))).isNull();
        List<Block> blocks = blocks(Arrays.asList("text", "```java", "int a = 1;", "```", "", "  ```sh", "  ls",
                "  ```"));
        assertThat(blocks).containsExactly(new Block("java", 3, List.of("int a = 1;")),
                new Block("sh", 7, List.of("ls")));
    }
}
