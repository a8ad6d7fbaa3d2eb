using AgentCluster.Api.V1;
using AgentCluster.Tests.Integration.Grains.Computer;
using AgentCluster.Tests.Integration.Infrastructure;
using AgentCluster.Tests.Integration.Silo.Api;

namespace AgentCluster.Tests.Integration.Sandbox.Egress;

/// <summary>
/// Desktops whose browser has the network of its session: a node on the test engines, a real proxy
/// process listening where the sandboxes reach it (their gateways, behind the sandbox firewall),
/// an HTTPS shop on the host's loopback that the proxy reaches (its CA trusted by the proxy, not by
/// the browser), and a plain upstream that no session is allowed to reach.
/// </summary>
public class DesktopEgressFixture : IAsyncLifetime
{
    private readonly TempDir _dir = new();

    public DesktopEgressFixture() => Shop = new LoopbackUpstream(Certificates.Server) { Respond = r => ShopPages.Answer(r, Elsewhere.Port) };

    public TestCertificates Certificates { get; } = new();
    public LoopbackUpstream Shop { get; }
    public LoopbackUpstream Elsewhere { get; } = new();
    public int ProxyPort { get; } = FreePort.Next();
    public SiloProcess Silo { get; private set; } = null!;
    public ProxyProcess Proxy { get; private set; } = null!;
    public ApiClients Admin { get; private set; } = null!;
    public ComputerTenant Desk { get; private set; } = null!;
    public string DataDir => _dir.Sub("data");

    /// <summary>The desktop image ./build.sh test built.</summary>
    protected static string Image => Environment.GetEnvironmentVariable(DesktopContainer.ImageVariable) is { Length: > 0 } set
        ? set : throw new InvalidOperationException($"{DesktopContainer.ImageVariable} is not set: ./build.sh test builds the desktop image and sets it");

    protected virtual IEnumerable<string> SiloArgs => [];

    /// <summary>The allowlist entry of the shop, and a page of it.</summary>
    public string ShopHost => $"127.0.0.1:{Shop.Port}";
    public string Url(string path) => $"https://{ShopHost}{path}";

    public async Task InitializeAsync()
    {
        var image = Image;
        await SandboxFirewall.AllowProxy(ProxyPort);
        Silo = SiloProcess.Start(DataDir, [.. DockerHosts.FleetArgs(), $"--AgentCluster:Fleet:ProxyPort={ProxyPort}", .. SiloArgs]);
        await Silo.WaitHealthyAsync();
        Admin = new ApiClients(Silo.ApiEndpoint, (await File.ReadAllTextAsync(Path.Combine(DataDir, "admin.key"))).Trim());
        var tenant = $"web-{Guid.NewGuid():N}"[..16];
        await Admin.Tenants.CreateTenantAsync(new CreateTenantRequest { Name = tenant, MaxSessions = 10, AllowedImages = { "agentcluster/desktop:*" } });
        async Task<ApiClients> Key(string role) => new(Silo.ApiEndpoint,
            (await Admin.Keys.CreateKeyAsync(new CreateKeyRequest { Tenant = tenant, Roles = { role } })).Secret);
        Desk = new ComputerTenant(tenant, image, DataDir, await Key("orchestrator"), await Key("approver"));

        Certificates.WriteCaPem(_dir.Sub("upstream-ca.pem"));
        // Every address: each engine's sandboxes reach it on their own gateway, and the firewall lets them reach only this port.
        Proxy = await ProxyProcess.StartAsync(Silo.GatewayPort,
            ["--AgentCluster:ListenAddress=0.0.0.0", "--AgentCluster:Egress:AllowedRanges:0=127.0.0.0/8",
             $"--AgentCluster:Egress:UpstreamTrustedCaFile={_dir.Sub("upstream-ca.pem")}"], ProxyPort);
        await Admin.WaitForHealthyHostsAsync(DockerHosts.Endpoints.Count);
    }

    public virtual async Task DisposeAsync()
    {
        Desk?.Dispose();
        Admin?.Dispose();
        if (Proxy is not null)
            await Proxy.DisposeAsync();
        if (Silo is not null)
            await Silo.DisposeAsync();
        await Shop.DisposeAsync();
        await Elsewhere.DisposeAsync();
        Certificates.Dispose();
        if (Desk is not null)
            await DockerHosts.RemoveAll($"agentcluster.tenant={Desk.Name}");
        _dir.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class DesktopEgressCollection : ICollectionFixture<DesktopEgressFixture>
{
    public const string Name = "desktop-egress";
}
