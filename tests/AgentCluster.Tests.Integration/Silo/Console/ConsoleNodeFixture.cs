using AgentCluster.Tests.Integration.Infrastructure;
using AgentCluster.Tests.Integration.Sandbox.Egress;
using AgentCluster.Tests.Integration.Silo.Api;

namespace AgentCluster.Tests.Integration.Silo.Console;

/// <summary>
/// The computer node with a real egress proxy process where its sandboxes reach it (every engine's
/// gateway, behind the sandbox firewall), so a desktop's browser has its session's network and the
/// console has real egress decisions to show: an HTTPS shop on the host's loopback (its CA trusted by
/// the proxy) that a session may be allowed, and a plain upstream no session is.
/// </summary>
public sealed class ConsoleNodeFixture : ComputerNodeFixture
{
    public ConsoleNodeFixture() => Shop = new LoopbackUpstream(Certificates.Server) { Respond = r => ShopPages.Answer(r, Elsewhere.Port) };

    public TestCertificates Certificates { get; } = new();
    public LoopbackUpstream Shop { get; }
    public LoopbackUpstream Elsewhere { get; } = new();
    public int ProxyPort { get; } = FreePort.Next();
    public ProxyProcess? Proxy { get; private set; }

    /// <summary>The allowlist entry of the shop, and a page of it.</summary>
    public string ShopHost => $"127.0.0.1:{Shop.Port}";
    public string Url(string path) => $"https://{ShopHost}{path}";

    protected override IEnumerable<string> SiloArgs => [$"--AgentCluster:Fleet:ProxyPort={ProxyPort}"];

    public override async Task InitializeAsync()
    {
        await SandboxFirewall.AllowProxy(ProxyPort);
        await base.InitializeAsync();
        var ca = TempPath("upstream-ca.pem");
        Certificates.WriteCaPem(ca);
        // Every address: each engine's sandboxes reach it on their own gateway, and the firewall lets them reach only this port.
        Proxy = await ProxyProcess.StartAsync(Silo.GatewayPort,
            ["--AgentCluster:ListenAddress=0.0.0.0", "--AgentCluster:Egress:AllowedRanges:0=127.0.0.0/8",
             $"--AgentCluster:Egress:UpstreamTrustedCaFile={ca}"], ProxyPort);
    }

    public override async Task DisposeAsync()
    {
        if (Proxy is not null)
            await Proxy.DisposeAsync();
        await base.DisposeAsync();
        await Shop.DisposeAsync();
        await Elsewhere.DisposeAsync();
        Certificates.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleNodeCollection : ICollectionFixture<ConsoleNodeFixture>
{
    public const string Name = "console-node";
}
