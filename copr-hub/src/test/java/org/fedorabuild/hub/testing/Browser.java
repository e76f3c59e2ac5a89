package org.fedorabuild.hub.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real browser for page tests: Debian's headless Chromium through Debian's chromedriver (named, so
 * Selenium Manager never goes online). {@link #open} loads a page and fails the test on any SEVERE console
 * entry (script errors, CSP violations, failed loads); {@link #screenshot} saves PNGs under
 * {@code target/screenshots/}.
 */
public final class Browser implements AutoCloseable {
    public static final Dimension DESKTOP = new Dimension(1280, 900);
    public static final Dimension PHONE = new Dimension(390, 844);
    private static final Path SHOTS = Path.of("target", "screenshots");

    public final WebDriver driver;
    private final String base;

    public Browser(String baseUrl) {
        this.base = baseUrl;
        LoggingPreferences lp = new LoggingPreferences();
        lp.enable(LogType.BROWSER, Level.ALL);
        ChromeOptions o = new ChromeOptions();
        o.setBinary("/usr/bin/chromium");
        // As root Chromium needs --no-sandbox; without a display it must be headless.
        o.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=en-US");
        o.setCapability("goog:loggingPrefs", lp);
        driver = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort().build(), o);
    }

    /** Loads {@code path} (relative to the hub) and checks the console. */
    public Browser open(String path) {
        driver.get(path.startsWith("http") ? path : base + path);
        assertCleanConsole();
        return this;
    }

    /**
     * Loads an error page (404, 400): the browser logs the document's own status as SEVERE, which is expected
     * here; anything else on the console still fails.
     */
    public Browser openError(String path, int status) {
        String url = path.startsWith("http") ? path : base + path;
        driver.get(url);
        String own = url + " - Failed to load resource: the server responded with a status of " + status;
        List<LogEntry> severe = severe().stream().filter(e -> !e.getMessage().startsWith(own)).toList();
        if (!severe.isEmpty()) {
            throw new AssertionError("browser console errors on " + url + ": " + severe);
        }
        return this;
    }

    public WebElement find(By by) {
        return waitFor(d -> d.findElement(by), Duration.ofSeconds(5));
    }

    public List<WebElement> all(By by) {
        return driver.findElements(by);
    }

    /** Clicks the link with exactly this text and waits for the next page; then checks the console. */
    public Browser click(String linkText) {
        String before = driver.getCurrentUrl();
        find(By.linkText(linkText)).click();
        waitFor(d -> !d.getCurrentUrl().equals(before) ? true : null, Duration.ofSeconds(10));
        waitFor(d -> "complete".equals(((org.openqa.selenium.JavascriptExecutor) d).executeScript("return document.readyState"))
                ? true : null, Duration.ofSeconds(10));
        assertCleanConsole();
        return this;
    }

    public <T> T waitFor(Function<WebDriver, T> condition, Duration limit) {
        return new WebDriverWait(driver, limit).pollingEvery(Duration.ofMillis(25))
                .ignoring(org.openqa.selenium.NoSuchElementException.class)
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(condition::apply);
    }

    public String text() {
        return driver.findElement(By.tagName("body")).getText();
    }

    public String title() {
        return driver.getTitle();
    }

    /** Fails on SEVERE console entries since the last check (errors, CSP refusals, 404s of scripts or styles). */
    public void assertCleanConsole() {
        List<LogEntry> severe = severe();
        if (!severe.isEmpty()) {
            throw new AssertionError("browser console errors on " + driver.getCurrentUrl() + ": " + severe);
        }
    }

    private List<LogEntry> severe() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
    }

    /** A screenshot of the viewport at {@code size}, saved as target/screenshots/NAME.png; returns the file. */
    public Path screenshot(String name, Dimension size) throws IOException {
        Dimension was = driver.manage().window().getSize();
        driver.manage().window().setSize(size);
        Files.createDirectories(SHOTS);
        Path png = SHOTS.resolve(name + ".png");
        File f = ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(f.toPath(), png, StandardCopyOption.REPLACE_EXISTING);
        driver.manage().window().setSize(was);
        return png;
    }

    @Override
    public void close() {
        driver.quit();
    }
}
