package org.neuralj.playground;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in a real browser: Debian's {@code chromium}, headless, driven through {@code chromedriver} by Selenium.
 * Skipped, with a message saying what to install, when either is absent. Screenshots go to
 * {@code target/playground-*.png}.
 */
class PlaygroundBrowserTest {
    /** Debian's paths; the properties exist to try the skip ({@code -Dplayground.chromium=/nowhere}). */
    private static final Path CHROMIUM = Path.of(System.getProperty("playground.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("playground.chromedriver",
            "/usr/bin/chromedriver"));
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    private static PlaygroundServer server;
    private static WebDriver driver;
    private static Path profile;

    private static final String ABSENT = "browser test skipped: it needs Debian's chromium and chromium-driver ("
            + CHROMIUM + " and " + CHROMEDRIVER + "); install them with: apt-get install chromium chromium-driver";

    private static boolean browserInstalled() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    @BeforeAll
    static void start() throws IOException {
        if (!browserInstalled()) {
            System.err.println(ABSENT);   // in the build's log as well as in the test report
            return;
        }
        server = PlaygroundServer.start("127.0.0.1", 0);
        profile = Files.createTempDirectory("playground-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--window-size=1440,1000", "--force-device-scale-factor=1");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() throws IOException {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.close();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    private static void await(String what, String condition) {
        new WebDriverWait(driver, PATIENCE).withMessage(() -> what + "; page state: " + js(
                "const s = window.playground; return s && JSON.stringify({frames: s.frames, playing: s.playing,"
                        + " points: s.lossPoints.length, errors: s.errors, scriptErrors: s.scriptErrors})"))
                .until(d -> Boolean.TRUE.equals(js("try { return !!(" + condition + "); } catch (e) { return false; }")));
    }

    private static Path screenshot(String name) throws IOException {
        Path target = Path.of("target", "playground-" + name + ".png");
        Files.createDirectories(target.getParent());
        Files.copy(((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(), target,
                StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    private static WebElement id(String id) {
        return driver.findElement(By.id(id));
    }

    @Test
    void learnsThenChangesStepsAndChecksGradients() throws IOException {
        Assumptions.assumeTrue(browserInstalled(), ABSENT);
        driver.get(server.url());
        await("the first frame", "window.playground.frames > 0 && window.playground.network");
        assertThat(driver.getTitle()).isEqualTo("neuralj playground");
        assertThat(driver.findElements(By.cssSelector("canvas.neuron-map"))).hasSize(8);   // 2 hidden layers of 4

        // play until the loss curve has points and the test loss has fallen below its first value
        id("neuronGradients").click();
        id("play").click();
        await("training to lower the test loss", "(() => { const p = window.playground.lossPoints;"
                + " return p.length >= 10 && p[p.length - 1].test < 0.8 * p[0].test; })()");
        assertThat(id("play").getText()).contains("pause");
        id("play").click();
        await("pause", "!window.playground.playing");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> points = (List<Map<String, Object>>) js("return window.playground.lossPoints");
        assertThat(points.size()).isGreaterThanOrEqualTo(10);
        assertThat(driver.findElements(By.cssSelector(".gradient-bar")).get(0).isDisplayed()).isTrue();
        id("check").click();
        await("the gradient check's result", "window.playground.check");
        assertThat(id("check-result").getText()).contains("Backpropagation agrees with finite differences");
        screenshot("moons");

        // change the activation and the data set: a new network, its diagram rebuilt
        new Select(id("activation")).selectByValue("relu");
        await("the ReLU network", "window.playground.network.settings.activation === 'relu'");
        new Select(id("dataset")).selectByValue("circles");
        await("the circles", "window.playground.network.settings.dataset === 'circles'"
                + " && window.playground.frame.step === 0");
        id("addLayer").click();
        await("a third hidden layer", "window.playground.network.sizes.length === 5");
        assertThat(driver.findElements(By.cssSelector("canvas.neuron-map"))).hasSize(12);

        // one step, then the gradient check on this network
        id("step").click();
        await("one step", "window.playground.frame.step === 1");
        assertThat(id("step-count").getText()).isEqualTo("1");
        js("window.playground.check = null");
        id("check").click();
        await("the gradient check's result", "window.playground.check");
        assertThat(id("check-result").getText()).contains("Backpropagation agrees with finite differences")
                .contains("0:Dense(4).weights").contains("input");
        assertThat(driver.findElements(By.cssSelector("#check-result tr.pass"))).hasSize(4 * 2 + 1);

        // a value out of range is refused, with the server's message on the page, and the input put back
        WebElement lr = id("learningRate");
        lr.sendKeys(Keys.chord(Keys.CONTROL, "a"), "50", Keys.TAB);   // typed, then a change event on leaving
        await("the refusal", "!document.getElementById('error').hidden");
        assertThat(id("error").getText()).isEqualTo("learningRate must be in 0.00001..10 but was 50");
        assertThat(lr.getAttribute("class")).contains("invalid");
        await("the input put back", "document.getElementById('learningRate').value === '0.03'");
        screenshot("circles");

        // digits: each hidden unit's weights as an 8x8 image, and the confusion matrix
        new Select(id("dataset")).selectByValue("digits");
        await("the digits network", "window.playground.network.sizes[0] === 64");
        id("removeLayer").click();
        await("two hidden layers", "window.playground.network.sizes.length === 4");
        new Select(id("activation")).selectByValue("tanh");
        await("the tanh network", "window.playground.network.settings.activation === 'tanh'");
        id("play").click();
        await("digits training", "window.playground.frame.step > 200 && window.playground.frame.testAccuracy > 0.6");
        id("play").click();
        await("pause", "!window.playground.playing");
        assertThat(id("digits-view").isDisplayed()).isTrue();
        assertThat(id("plane-view").isDisplayed()).isFalse();
        assertThat(driver.findElements(By.cssSelector("#weight-images canvas"))).hasSize(4);
        assertThat(driver.findElements(By.cssSelector("#confusion tr"))).hasSize(11);
        screenshot("digits");

        assertThat((List<?>) js("return window.playground.scriptErrors")).isEmpty();

        // a second tab has a session of its own; closing it frees that session
        String first = driver.getWindowHandle();
        assertThat(server.sessions()).hasSize(1);
        driver.switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
        driver.get(server.url());
        await("the second tab's first frame", "window.playground.frames > 0");
        assertThat(server.sessions()).hasSize(2);
        driver.close();
        driver.switchTo().window(first);
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (server.sessions().size() != 1 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(server.sessions()).as("the closed tab's session is gone").hasSize(1);

        // a server that is full says so on the page
        try (PlaygroundServer small = PlaygroundServer.start("127.0.0.1", 0, 1)) {
            driver.get(small.url());
            await("the small server's first frame", "window.playground.frames > 0");
            driver.switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
            driver.get(small.url());
            await("the refusal", "!document.getElementById('error').hidden");
            assertThat(id("error").getText()).startsWith("The playground is full: 1 session is open");
            assertThat(id("connection").getText()).contains("1013");
            screenshot("full");
            driver.close();
            driver.switchTo().window(first);
        }
    }
}
