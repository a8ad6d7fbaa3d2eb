using Microsoft.Playwright;

namespace AgentCluster.Tests.Integration.Infrastructure;

/// <summary>
/// Debian's Chromium (never a downloaded browser) driven by Playwright, headless, with the flags this
/// machine's closed network needs (no background connections, no component updates).
/// </summary>
public static class HeadlessChromium
{
    public static string Executable =>
        Environment.GetEnvironmentVariable("AGENTCLUSTER_TEST_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
}
