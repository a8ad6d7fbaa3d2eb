using System.Text.Json.Nodes;
using AgentCluster.ComputerServer.Egress;
using static AgentCluster.Tests.Unit.Grains.Fleet.FleetTestData;

namespace AgentCluster.Tests.Unit.SandboxServer.Browser;

/// <summary>The image's managed policies (deploy/sandbox/desktop/chromium-policies.json) close every leak surface of issue 14, part 4.</summary>
public sealed class ChromiumPolicyTests
{
    private static readonly JsonObject Policies = JsonNode.Parse(File.ReadAllText(RepoFile("deploy/sandbox/desktop/chromium-policies.json")))!.AsObject();

    [Theory]
    [InlineData("PasswordManagerEnabled", "false")]
    [InlineData("AutofillAddressEnabled", "false")]
    [InlineData("AutofillCreditCardEnabled", "false")]
    [InlineData("DefaultClipboardSetting", "2")]
    [InlineData("DefaultNotificationsSetting", "2")]
    [InlineData("DefaultGeolocationSetting", "2")]
    [InlineData("AllowFileSelectionDialogs", "false")]
    [InlineData("DownloadRestrictions", "3")]
    [InlineData("BrowserSignin", "0")]
    [InlineData("SyncDisabled", "true")]
    [InlineData("DeveloperToolsAvailability", "2")]
    [InlineData("WebRtcIPHandling", "\"disable_non_proxied_udp\"")]
    [InlineData("BrowserNetworkTimeQueriesEnabled", "false")]
    [InlineData("ComponentUpdatesEnabled", "false")]
    [InlineData("CommandLineFlagSecurityWarningsEnabled", "false")]
    public void Each_leak_surface_is_closed(string policy, string value) =>
        Assert.Equal(value, Policies[policy]?.ToJsonString());

    [Theory]
    [InlineData("file://*")]
    [InlineData("chrome://*")]
    [InlineData("view-source:*")]
    [InlineData("devtools://*")]
    public void The_browsers_own_schemes_and_local_files_are_blocked(string pattern) =>
        Assert.Contains(pattern, Policies["URLBlocklist"]!.AsArray().Select(p => p!.GetValue<string>()));

    [Fact]
    public void Extensions_are_all_blocked() =>
        Assert.Equal(["*"], Policies["ExtensionInstallBlocklist"]!.AsArray().Select(p => p!.GetValue<string>()));

    [Fact]
    public void The_managed_proxy_is_the_computer_servers_forwarder_and_loopback_is_not_exempt()
    {
        var proxy = Policies["ProxySettings"]!.AsObject();
        Assert.Equal("fixed_servers", proxy["ProxyMode"]!.GetValue<string>());
        Assert.Equal(ProxyForwarder.Address, proxy["ProxyServer"]!.GetValue<string>());
        Assert.Equal("<-loopback>", proxy["ProxyBypassList"]!.GetValue<string>());
    }
}
