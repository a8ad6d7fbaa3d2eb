using System.Text.RegularExpressions;
using AgentCluster.Tests.Integration.Infrastructure;
using AgentCluster.Tests.Integration.Silo.Console;
using Microsoft.Playwright;

namespace AgentCluster.Tests.Integration.Readme;

/// <summary>
/// README.md's "The first ten minutes", read from the README itself and run block by block, in order, in
/// one shell from a checkout, against a real node as <c>./build.sh run</c> makes it: a silo with one engine
/// as host <c>local</c>, a proxy on that engine's sandbox gateway. The console step is done in headless
/// Chromium, as the approver. The README cannot say a command works that does not.
/// </summary>
public sealed partial class FirstTenMinutesTests
{
    private const string Heading = "## The first ten minutes";

    [Fact]
    public async Task Every_command_of_the_first_ten_minutes_runs_in_order_against_a_real_node()
    {
        var steps = ReadmeSection.Steps(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "README.md")), Heading);
        Assert.True(steps.Count >= 6, $"only {steps.Count} shell blocks in '{Heading}'");
        Assert.Single(steps, s => s.InBrowser);

        using var checkout = new TempDir();
        WriteLauncher(checkout.Sub("bin"));
        var engine = DockerHosts.Endpoints[0];
        var proxyPort = FreePort.Next();
        // As ./build.sh run does: the engine's sandboxes reach this node's proxy port on their gateway, and nothing else.
        await SandboxFirewall.AllowProxy(proxyPort);
        var data = checkout.Sub("data");
        await using var silo = SiloProcess.Start(data, [$"--AgentCluster:Docker:Endpoint={engine}", $"--AgentCluster:Fleet:ProxyPort={proxyPort}"]);
        try
        {
            await silo.WaitHealthyAsync();
            using (var admin = new ApiClients(silo.ApiEndpoint, (await File.ReadAllTextAsync(Path.Combine(data, "admin.key"))).Trim()))
                await admin.WaitForHealthyHostsAsync(1);
            var (code, gateway) = await DockerHosts.Docker(engine, "network", "inspect", "agentcluster-sandbox", "-f", "{{range .IPAM.Config}}{{.Gateway}}{{end}}");
            Assert.True(code == 0 && gateway.Length > 0, gateway);
            await using var proxy = await ProxyProcess.StartAsync(silo.GatewayPort, [$"--AgentCluster:ListenAddress={gateway}"], proxyPort);

            await using var shell = await ReadmeShell.StartAsync(checkout.Path, new Dictionary<string, string?>
            {
                ["AGENTCLUSTER_ENDPOINT"] = silo.ApiEndpoint, ["AGENTCLUSTER_API_KEY"] = null, ["DOCKER_HOST"] = null,
            });
            foreach (var step in steps)
            {
                if (step.InBrowser)
                    await ApproveInTheConsole(silo.AdminEndpoint, await shell.Variable("APPROVER"));
                await shell.RunAsync(step.Script);
            }

            var transcript = string.Join('\n', shell.Transcript.Lines);
            Assert.Contains("example.org: refused", transcript, StringComparison.Ordinal);
            Assert.Matches(EgressRefused(), transcript);
            Assert.Equal(2, Regex.Matches(transcript, "^released: approved$", RegexOptions.Multiline).Count);
            Assert.Matches(@"(?m)^completed apr_\w+: succeeded$", transcript);
            Assert.Matches(@"(?m)^ok: \d+ rows checked \(acme \d+\)$", transcript);
            Assert.Matches(@"(?m)^ses_\w+\s+acme\s+Terminated\s", transcript);
            Assert.DoesNotContain(shell.Transcript.Lines, l => l.StartsWith("agentctl:", StringComparison.Ordinal));
        }
        finally
        {
            await DockerHosts.RemoveAll("agentcluster.tenant=acme");
        }
    }

    /// <summary>
    /// What the README asks of the approver: open the front door, which sends the browser to the
    /// sign-in page, paste the key and Sign in, follow Approvals, click Approve, then Confirm approve.
    /// </summary>
    private static async Task ApproveInTheConsole(string adminEndpoint, string approverKey)
    {
        await using var browser = await ConsoleBrowser.Anonymous();
        var page = await browser.Context.NewPageAsync();
        await ConsoleBrowser.SignInThroughForm(page, adminEndpoint, approverKey);
        await page.ClickAsync("a[href='/approvals/']");
        var charge = page.Locator("#approvals tbody tr");
        await Assertions.Expect(charge).ToHaveCountAsync(1);
        await Assertions.Expect(charge.Locator("td.payload")).ToContainTextAsync("amount: 2000");
        await charge.Locator("button.approve").ClickAsync();
        await charge.Locator("button.confirm").ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("approved");
    }

    private static void WriteLauncher(string bin)
    {
        Directory.CreateDirectory(bin);
        var launcher = Path.Combine(bin, "agentctl");
        File.WriteAllText(launcher, $"#!/usr/bin/env bash\nexec dotnet '{RepoPaths.AgentctlDll}' \"$@\"\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(launcher, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    [GeneratedRegex(@"(?m)egress\.denied\s+ses_\w+\s+denied\s+not-allowlisted$")]
    private static partial Regex EgressRefused();
}
