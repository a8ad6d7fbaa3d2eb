using System.Net.Http.Headers;
using System.Text;
using AgentCluster.Tests.Integration.Infrastructure;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace AgentCluster.Tests.Integration.Silo.Console;

/// <summary>Debian's headless Chromium signed in to a node's console with one key, and what the console tests ask of it.</summary>
public sealed class ConsoleBrowser : IAsyncDisposable
{
    public static readonly (int Width, int Height) Desktop = (1280, 800);
    public static readonly (int Width, int Height) Phone = (390, 844);

    /// <summary>Where every page's picture goes, at both widths: the test artifact the issue asks for.</summary>
    public static string ScreensDir => Path.Combine(RepoPaths.Root, "TestResults", "console-screens");

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    public IBrowserContext Context { get; }

    private ConsoleBrowser(IPlaywright playwright, IBrowser browser, IBrowserContext context) =>
        (_playwright, _browser, Context) = (playwright, browser, context);

    /// <summary>A browser that sends the key as HTTP Basic on every request (a script's way in; people use the sign-in page).</summary>
    public static async Task<ConsoleBrowser> SignIn(string key, (int Width, int Height)? size = null)
    {
        var browser = await Anonymous(size);
        await browser.Context.SetExtraHTTPHeadersAsync(BasicHeader(key));
        return browser;
    }

    /// <summary>A browser with no credentials at all: it signs in through the sign-in page, or not.</summary>
    public static async Task<ConsoleBrowser> Anonymous((int Width, int Height)? size = null)
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await HeadlessChromium.LaunchAsync(playwright);
        var (width, height) = size ?? Desktop;
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        return new ConsoleBrowser(playwright, browser, context);
    }

    /// <summary>
    /// The Authorization header of Basic sign-in, for a browser context's extra headers. Playwright's
    /// HttpCredentials answer only a 401 challenge, and a browser asking for a page without
    /// credentials is now sent to the sign-in page instead, so they are sent up front.
    /// </summary>
    public static Dictionary<string, string> BasicHeader(string key) =>
        new() { ["Authorization"] = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"operator:{key}")) };

    /// <summary>Signs in through the sign-in page as a person does: the key typed into its field, then Sign in.</summary>
    public static async Task SignInThroughForm(IPage page, string adminEndpoint, string key, string path = "/")
    {
        await page.GotoAsync($"{adminEndpoint}{path}");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin"));
        await page.GetByLabel("API key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("^https?://[^/]+/(?!signin)"));
    }

    /// <summary>The serious and critical accessibility violations axe finds on the page, one line each.</summary>
    public static async Task<List<string>> SeriousViolations(IPage page)
    {
        var result = await page.RunAxe();
        return [.. result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(" | ", v.Nodes.Select(n => n.Html))}")];
    }

    /// <summary>
    /// Waits until the picture an img element shows (its pixels, read back through a canvas) has
    /// <paramref name="colour"/> three quarters of the way across and down: the page, away from the
    /// browser's bar and from the pointer, which starts at the screen's centre. The browser may colour-manage what it draws, so
    /// "near" is looser than for raw PNG bytes; red, blue and white are still far apart.
    /// </summary>
    public static async Task WaitForPicture(ILocator img, (byte R, byte G, byte B) colour, string what)
    {
        int[]? last = null;
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < until)
        {
            last = await img.EvaluateAsync<int[]?>("""
                async img => {
                  if (!img.src) return null;
                  try { await img.decode(); } catch { return null; }
                  const c = document.createElement("canvas");
                  c.width = img.naturalWidth; c.height = img.naturalHeight;
                  const g = c.getContext("2d");
                  g.drawImage(img, 0, 0);
                  const d = g.getImageData(Math.floor(c.width * 3 / 4), Math.floor(c.height * 3 / 4), 1, 1).data;
                  return [d[0], d[1], d[2]];
                }
                """);
            if (last is not null && Math.Abs(last[0] - colour.R) <= 24 && Math.Abs(last[1] - colour.G) <= 24 && Math.Abs(last[2] - colour.B) <= 24)
                return;
            await Task.Delay(250);
        }
        throw new TimeoutException($"timed out waiting for {what}: the point is {(last is null ? "not drawn" : string.Join(",", last))}");
    }

    public static async Task Save(IPage page, string name, (int Width, int Height) size)
    {
        Directory.CreateDirectory(ScreensDir);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreensDir, $"{name}-{size.Width}.png"), FullPage = true });
    }

    /// <summary>Presses <paramref name="key"/> (Tab, Shift+Tab) until the focus is on <paramref name="selector"/>; fails after <paramref name="max"/> presses.</summary>
    public static async Task TabTo(IPage page, string selector, string key = "Tab", int max = 60)
    {
        for (var i = 0; i < max; i++)
        {
            await page.Keyboard.PressAsync(key);
            if (await page.EvaluateAsync<bool>("s => document.activeElement?.matches(s) === true", selector))
                return;
        }
        Assert.Fail($"{max} presses of {key} never reached {selector}; the focus is on {await Focused(page)}");
    }

    /// <summary>The focused element shows it: it matches :focus-visible and has an outline the eye can see.</summary>
    public static async Task AssertFocusVisible(IPage page)
    {
        var outline = await page.EvaluateAsync<string>("""
            () => {
              const e = document.activeElement;
              if (!e || e === document.body || !e.matches(":focus-visible")) return "none";
              const s = getComputedStyle(e);
              return parseFloat(s.outlineWidth) > 0 && s.outlineStyle !== "none" ? `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}` : "none";
            }
            """);
        Assert.True(outline != "none", $"no visible focus on {await Focused(page)}");
    }

    private static Task<string> Focused(IPage page) =>
        page.EvaluateAsync<string>("() => document.activeElement ? document.activeElement.outerHTML.slice(0, 200) : 'nothing'");

    /// <summary>
    /// What scrolls sideways: the page itself (at any width) and, when <paramref name="regions"/>,
    /// each table's region too (on a phone a table is a stack of cards, no wider than the screen).
    /// </summary>
    public static async Task<List<string>> SidewaysScroll(IPage page, bool regions) =>
        [.. await page.EvaluateAsync<string[]>("""
            regions => {
              const out = [];
              const root = document.scrollingElement;
              if (root.scrollWidth > root.clientWidth) out.push(`the page is ${root.scrollWidth} px wide in ${root.clientWidth}`);
              if (regions)
                for (const e of document.querySelectorAll(".scroll"))
                  if (e.scrollWidth > e.clientWidth) out.push(`${e.getAttribute("aria-label")} is ${e.scrollWidth} px wide in ${e.clientWidth}`);
              return out;
            }
            """, regions)];

    public static HttpRequestMessage Request(HttpMethod method, string url, string key, bool intent = false)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"x:{key}")));
        if (intent)
            request.Headers.Add("X-AgentCluster-Console", "1");
        if (method == HttpMethod.Post)
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        return request;
    }

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
