using AgentCluster.Api.V1;
using AgentCluster.Tests.Integration.Infrastructure;
using Google.Protobuf.WellKnownTypes;

namespace AgentCluster.Tests.Integration.Proxy;

/// <summary>A session as the sandbox knows it: its id and the proxy secret from its own environment.</summary>
public sealed record SandboxSession(Session Session, string ProxyUrl, string Secret)
{
    public string Id => Session.Id;

    public string ProxyAuthorization => "Basic " + RawHttp.Basic(Id, Secret);
}

/// <summary>
/// A single node with the test fleet, a tenant with a secret bound to <c>127.0.0.1</c>, a real
/// upstream on loopback, and a real proxy process beside the silo whose allowed range is loopback.
/// </summary>
public sealed class EgressNodeFixture : IAsyncLifetime
{
    public const string Secret = "sk_live_egress_7Qm2v9XoTopSecretValue";

    private readonly TempDir _dir = new();
    private ClusterClient? _client;

    public string Tenant { get; } = $"eg-{Guid.NewGuid():N}"[..14];
    public SiloProcess Silo { get; private set; } = null!;
    public ProxyProcess Proxy { get; private set; } = null!;
    public LoopbackUpstream Upstream { get; } = new();

    /// <summary>The upstream's test CA, which the proxy is told to trust for intercepted upstreams.</summary>
    public TestCertificates UpstreamCertificates { get; } = new();

    private LoopbackUpstream? _secureUpstream;

    /// <summary>An HTTPS upstream on loopback with a certificate from <see cref="UpstreamCertificates"/>.</summary>
    public LoopbackUpstream SecureUpstream => _secureUpstream ??= new LoopbackUpstream(UpstreamCertificates.Server);
    public ApiClients Admin { get; private set; } = null!;
    public string DataDir => _dir.Sub("data");

    /// <summary>Where the proxy writes the deployment's proxy CA certificate at start.</summary>
    public string CaCertificateFile => _dir.Sub("proxy-ca.pem");
    public IClusterClient Grains => _client!.Grains;
    public int ProxyPort { get; } = FreePort.Next();

    /// <summary>The tests speak for sandboxes from loopback, not from the containers' addresses.</summary>
    public static readonly string[] LoopbackClients = ["--AgentCluster:Egress:RequireContainerAddress=false"];

    public async Task InitializeAsync()
    {
        Silo = SiloProcess.Start(DataDir,
        [
            .. DockerHosts.FleetArgs(), $"--AgentCluster:Fleet:ProxyPort={ProxyPort}",
            // The upstream's /upload takes writes that need no human: the admin's HTTP rule says so.
            "--AgentCluster:Approvals:Http:Rules:0:Host=127.0.0.1", "--AgentCluster:Approvals:Http:Rules:0:PathPrefix=/upload",
            "--AgentCluster:Approvals:Http:Rules:0:Risk=Reversible",
        ]);
        await Silo.WaitHealthyAsync();
        Admin = new ApiClients(Silo.ApiEndpoint, (await File.ReadAllTextAsync(Path.Combine(DataDir, "admin.key"))).Trim());
        await Admin.Tenants.CreateTenantAsync(new CreateTenantRequest { Name = Tenant, MaxSessions = 20 });
        await Admin.Secrets.PutSecretAsync(new PutSecretRequest
        {
            Tenant = Tenant, Resource = "echo", Hosts = { "127.0.0.1" }, Actions = { "read" },
            Header = "Authorization", Format = "Bearer {secret}", Value = Secret,
        });
        _client = await ClusterClient.LocalAsync(Silo.GatewayPort);
        UpstreamCertificates.WriteCaPem(_dir.Sub("upstream-ca.pem"));
        Proxy = await ProxyProcess.StartAsync(Silo.GatewayPort,
            [.. LoopbackClients, "--AgentCluster:Egress:AllowedRanges:0=127.0.0.0/8", "--AgentCluster:Egress:RequestHeadersTimeout=00:00:02",
             $"--AgentCluster:Egress:CaCertificateFile={CaCertificateFile}",
             $"--AgentCluster:Egress:UpstreamTrustedCaFile={_dir.Sub("upstream-ca.pem")}"], ProxyPort);
        await Admin.WaitForHealthyHostsAsync(DockerHosts.Endpoints.Count);
    }

    /// <summary>A Ready session; its proxy secret is read where the sandbox reads it, from the container's environment.</summary>
    public Task<SandboxSession> NewSession(params string[] allowHosts) => NewSession(["echo:read"], allowHosts);

    /// <summary>A Ready session that may ask for <paramref name="grants"/> (<c>resource:action</c>).</summary>
    public async Task<SandboxSession> NewSession(IReadOnlyList<string> grants, params string[] allowHosts)
    {
        var request = new CreateSessionRequest
        {
            Tenant = Tenant, Image = DockerHosts.Image, Ttl = Duration.FromTimeSpan(TimeSpan.FromMinutes(5)),
            MaxGrantTtl = Duration.FromTimeSpan(TimeSpan.FromSeconds(120)), AllowGrants = { grants },
        };
        request.AllowHosts.AddRange(allowHosts);
        var session = await Admin.Sessions.CreateSessionAsync(request);
        Assert.Equal("Ready", session.State);
        var endpoint = DockerHosts.Endpoints[int.Parse(session.Host[1..], System.Globalization.CultureInfo.InvariantCulture)];
        var (code, env) = await DockerHosts.Docker(endpoint, "inspect", "-f", "{{range .Config.Env}}{{println .}}{{end}}", session.ContainerId);
        Assert.True(code == 0, env);
        var proxyUrl = env.Split('\n').Single(l => l.StartsWith("HTTP_PROXY=", StringComparison.Ordinal))["HTTP_PROXY=".Length..];
        var userinfo = new Uri(proxyUrl).UserInfo.Split(':');
        Assert.Equal(session.Id, userinfo[0]);
        return new SandboxSession(session, proxyUrl, userinfo[1]);
    }

    private Task<SandboxSession>? _shared;

    /// <summary>One session allowed the upstream (127.0.0.1 and localhost on its port), shared by a class's cases.</summary>
    public Task<SandboxSession> Shared => _shared ??= NewSession($"127.0.0.1:{Upstream.Port}", $"localhost:{Upstream.Port}");

    /// <summary>A request through the proxy, written byte for byte.</summary>
    public Task<RawResponse> Send(string request) => RawHttp.SendAsync(ProxyPort, request);

    /// <summary>An ordinary GET through the proxy to the upstream, with the session's credential.</summary>
    public Task<RawResponse> Get(SandboxSession session, string pathAndQuery = "/hello", string host = "127.0.0.1",
        string extraHeaders = "") =>
        Send($"GET http://{host}:{Upstream.Port}{pathAndQuery} HTTP/1.1\r\nHost: {host}:{Upstream.Port}\r\n"
            + $"Proxy-Authorization: {session.ProxyAuthorization}\r\n{extraHeaders}Connection: close\r\n\r\n");

    public async Task DisposeAsync()
    {
        if (_client is not null)
            await _client.DisposeAsync();
        Admin?.Dispose();
        if (Proxy is not null)
            await Proxy.DisposeAsync();
        if (Silo is not null)
            await Silo.DisposeAsync();
        await Upstream.DisposeAsync();
        if (_secureUpstream is not null)
            await _secureUpstream.DisposeAsync();
        UpstreamCertificates.Dispose();
        await DockerHosts.RemoveAll($"agentcluster.tenant={Tenant}");
        _dir.Dispose();
    }
}
