using AgentCluster.Api.V1;
using AgentCluster.Tests.Integration.Grains.Computer;
using AgentCluster.Tests.Integration.Infrastructure;

namespace AgentCluster.Tests.Integration.Clients.Python;

/// <summary>
/// A silo on the test fleet (every engine has the desktop image) for the Python SDK's pytest suites: a
/// tenant with a <c>shop</c> secret its sessions may ask grants for, and a gated tenant whose
/// browser.click waits for a human; each with an orchestrator key and an approver key. A real proxy
/// process beside the silo, which the desktops' browsers go through, swaps the <c>shop</c> stub tokens on
/// the way to upstreams on loopback (the example's shop among them).
/// </summary>
public sealed class PythonNodeFixture : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private ApiClients _admin = null!;
    private readonly List<string> _tenants = [];

    public SiloProcess Silo { get; private set; } = null!;
    public ProxyProcess Proxy { get; private set; } = null!;
    public int ProxyPort { get; } = FreePort.Next();

    /// <summary>The variables every suite reads (endpoint, keys, tenants), on top of the test run's own.</summary>
    public Dictionary<string, string> Environment { get; } = [];

    public async Task InitializeAsync()
    {
        // The sandboxes reach this fixture's proxy port on their gateway, and nothing else of the host.
        await SandboxFirewall.AllowProxy(ProxyPort);
        Silo = SiloProcess.Start(_dir.Sub("data"),
        [
            .. DockerHosts.FleetArgs(), $"--AgentCluster:Fleet:ProxyPort={ProxyPort}",
            // The example's decision is its payment.charge approval, taken before it clicks Buy: the shop's
            // POST /buy that follows is that purchase, audited by the proxy rather than held a second time.
            "--AgentCluster:Approvals:Http:Rules:0:Host=127.0.0.1", "--AgentCluster:Approvals:Http:Rules:0:PathPrefix=/buy",
            "--AgentCluster:Approvals:Http:Rules:0:Methods:0=POST", "--AgentCluster:Approvals:Http:Rules:0:Risk=RecoverableWithAudit",
        ]);
        await Silo.WaitHealthyAsync();
        var adminKey = (await File.ReadAllTextAsync(Path.Combine(_dir.Sub("data"), "admin.key"))).Trim();
        _admin = new ApiClients(Silo.ApiEndpoint, adminKey);
        var main = await Tenant("py");
        var gated = await Tenant("pyg");
        await _admin.Tenants.UpdateTenantAsync(new UpdateTenantRequest
        {
            Name = gated, RiskOverrides = { ["browser.click"] = "Irreversible" }, ReplaceRiskOverrides = true,
        });
        await _admin.Secrets.PutSecretAsync(new PutSecretRequest
        {
            Tenant = main, Resource = "shop", Hosts = { "127.0.0.1" }, Actions = { "read", "write" },
            Header = "Authorization", Format = "Bearer {secret}", Value = "sk_test_python_sdk_shop", AllowPlainHttp = true,
        });
        // Every address: the desktops' browsers reach it on their engine's gateway (the firewall lets them reach
        // only this port), and the suites speak for a sandbox from loopback with its credential, as the proxy tests do.
        Proxy = await ProxyProcess.StartAsync(Silo.GatewayPort,
            ["--AgentCluster:ListenAddress=0.0.0.0", .. AgentCluster.Tests.Integration.Proxy.EgressNodeFixture.LoopbackClients,
             "--AgentCluster:Egress:AllowedRanges:0=127.0.0.0/8"], ProxyPort);
        Environment["AGENTCLUSTER_TEST_PROXY_PORT"] = ProxyPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Environment["AGENTCLUSTER_ENDPOINT"] = Silo.ApiEndpoint;
        Environment["AGENTCLUSTER_API_KEY"] = await Key(main, "orchestrator");
        Environment["AGENTCLUSTER_TEST_APPROVER_KEY"] = await Key(main, "approver");
        Environment["AGENTCLUSTER_TEST_GATED_KEY"] = await Key(gated, "orchestrator");
        Environment["AGENTCLUSTER_TEST_GATED_APPROVER_KEY"] = await Key(gated, "approver");
        Environment["AGENTCLUSTER_TEST_ADMIN_KEY"] = adminKey;
        Environment["AGENTCLUSTER_TEST_TENANT"] = main;
        Environment["AGENTCLUSTER_TEST_RESULTS"] = Path.Combine(RepoPaths.Root, "TestResults", "python");
        await _admin.WaitForHealthyHostsAsync(DockerHosts.Endpoints.Count);
    }

    private async Task<string> Tenant(string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..16];
        await _admin.Tenants.CreateTenantAsync(new CreateTenantRequest
        {
            Name = name, MaxSessions = 20, AllowedImages = { "agentcluster/desktop:*", "agentcluster/sandbox:*" },
            AllowedGrants = { "shop:*" },
        });
        _tenants.Add(name);
        return name;
    }

    private async Task<string> Key(string tenant, string role) =>
        (await _admin.Keys.CreateKeyAsync(new CreateKeyRequest { Tenant = tenant, Roles = { role } })).Secret;

    public async Task DisposeAsync()
    {
        _admin?.Dispose();
        if (Proxy is not null)
            await Proxy.DisposeAsync();
        if (Silo is not null)
            await Silo.DisposeAsync();
        foreach (var tenant in _tenants)
            await DockerHosts.RemoveAll($"agentcluster.tenant={tenant}");
        _dir.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class PythonNodeCollection : ICollectionFixture<PythonNodeFixture>
{
    public const string Name = "python-node";
}
