using AgentCluster.Api.V1;
using AgentCluster.Tests.Integration.Infrastructure;
using Google.Protobuf.WellKnownTypes;

namespace AgentCluster.Tests.Integration.Proxy;

/// <summary>
/// A session as the sandbox knows it: the proxy credential from its own environment, whose user
/// is the session id, or a warm-pool container's credential id when the session claimed one.
/// </summary>
public sealed record SandboxSession(Session Session, string ProxyUrl, string User, string Secret)
{
    public string Id => Session.Id;

    public string ProxyAuthorization => "Basic " + RawHttp.Basic(User, Secret);
}

/// <summary>
/// A single node with the test fleet, a tenant with two secrets bound to <c>127.0.0.1</c> (<c>echo</c>,
/// read only, and <c>echo-rw</c>, which may also be granted for writes and deletes; both may be sent
/// over plain http, since the upstream speaks it), a real
/// upstream on loopback, and a real proxy process beside the silo whose allowed range is loopback.
/// </summary>
public partial class EgressNodeFixture : IAsyncLifetime
{
    public const string Secret = "sk_live_egress_7Qm2v9XoTopSecretValue";

    /// <summary>Under this path the proxy's HTTP rule names every request on the upstream <c>stripe.charge</c>.</summary>
    public const string ChargePath = "/v1/secret";

    /// <summary>The value of <c>echo-rw</c>.</summary>
    public const string WriteSecret = "sk_live_egress_rw_4Lp8TopSecretValue";

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

    /// <summary>What a fixture of another shape adds to the silo's switches.</summary>
    protected virtual IEnumerable<string> SiloArgs => [];

    public async Task InitializeAsync()
    {
        // The sandboxes reach this fixture's proxy port on their gateway, and nothing else of the host.
        await SandboxFirewall.AllowProxy(ProxyPort);
        Silo = SiloProcess.Start(DataDir,
        [
            .. SiloArgs,
            .. DockerHosts.FleetArgs(), $"--AgentCluster:Fleet:ProxyPort={ProxyPort}",
            // The upstream's /upload takes writes that need no human: the admin's HTTP rule says so.
            "--AgentCluster:Approvals:Http:Rules:0:Host=127.0.0.1", "--AgentCluster:Approvals:Http:Rules:0:PathPrefix=/upload",
            "--AgentCluster:Approvals:Http:Rules:0:Risk=Reversible",
        ]);
        await Silo.WaitHealthyAsync();
        Admin = new ApiClients(Silo.ApiEndpoint, (await File.ReadAllTextAsync(Path.Combine(DataDir, "admin.key"))).Trim());
        await Admin.Tenants.CreateTenantAsync(new CreateTenantRequest
        {
            Name = Tenant, MaxSessions = 20, AllowedGrants = { "*:read", "echo-rw:*", "gone:write", "narrow:write" },
        });
        await Admin.Secrets.PutSecretAsync(new PutSecretRequest
        {
            Tenant = Tenant, Resource = "echo", Hosts = { "127.0.0.1" }, Actions = { "read" },
            Header = "Authorization", Format = "Bearer {secret}", Value = Secret,
            // The loopback upstream speaks plain http: these test secrets opt in to leaving in clear, as the README's switch says.
            AllowPlainHttp = true,
        });
        await Admin.Secrets.PutSecretAsync(new PutSecretRequest
        {
            Tenant = Tenant, Resource = "echo-rw", Hosts = { "127.0.0.1" }, Actions = { "read", "write", "delete" },
            Header = "Authorization", Format = "Bearer {secret}", Value = WriteSecret, AllowPlainHttp = true,
        });
        _client = await ClusterClient.LocalAsync(Silo.GatewayPort);
        UpstreamCertificates.WriteCaPem(_dir.Sub("upstream-ca.pem"));
        Proxy = await ProxyProcess.StartAsync(Silo.GatewayPort,
            [.. LoopbackClients, "--AgentCluster:Egress:AllowedRanges:0=127.0.0.0/8", "--AgentCluster:Egress:RequestHeadersTimeout=00:00:02",
             $"--AgentCluster:Egress:CaCertificateFile={CaCertificateFile}",
             // The proxy's own rule: anything under /v1/secret on the upstream is a charge, which waits for a human.
             "--AgentCluster:Egress:Approvals:Rules:0:Host=127.0.0.1", $"--AgentCluster:Egress:Approvals:Rules:0:Path={ChargePath}/**",
             "--AgentCluster:Egress:Approvals:Rules:0:Action=stripe.charge",
             $"--AgentCluster:Egress:UpstreamTrustedCaFile={_dir.Sub("upstream-ca.pem")}"], ProxyPort);
        await Admin.WaitForHealthyHostsAsync(DockerHosts.Endpoints.Count);
    }

    /// <summary>A Ready session; its proxy secret is read where the sandbox reads it, from the container's environment.</summary>
    public Task<SandboxSession> NewSession(params string[] allowHosts) => NewSession(["echo:read"], allowHosts);

    /// <summary>A Ready session that may ask for <paramref name="grants"/> (<c>resource:action</c>).</summary>
    public Task<SandboxSession> NewSession(IEnumerable<string> grants, params string[] allowHosts) => NewSession(Admin, grants, allowHosts);

    /// <summary>A Ready session created with <paramref name="creator"/>'s key.</summary>
    public async Task<SandboxSession> NewSession(ApiClients creator, IEnumerable<string> grants, params string[] allowHosts)
    {
        var request = new CreateSessionRequest
        {
            Tenant = Tenant, Image = DockerHosts.Image, Ttl = Duration.FromTimeSpan(TimeSpan.FromMinutes(5)),
            MaxGrantTtl = Duration.FromTimeSpan(TimeSpan.FromSeconds(120)), AllowGrants = { grants },
        };
        request.AllowHosts.AddRange(allowHosts);
        var session = await creator.Sessions.CreateSessionAsync(request);
        Assert.Equal("Ready", session.State);
        var endpoint = DockerHosts.Endpoints[int.Parse(session.Host[1..], System.Globalization.CultureInfo.InvariantCulture)];
        var (code, env) = await DockerHosts.Docker(endpoint, "inspect", "-f", "{{range .Config.Env}}{{println .}}{{end}}", session.ContainerId);
        Assert.True(code == 0, env);
        var proxyUrl = env.Split('\n').Single(l => l.StartsWith("HTTP_PROXY=", StringComparison.Ordinal))["HTTP_PROXY=".Length..];
        var userinfo = new Uri(proxyUrl).UserInfo.Split(':');
        Assert.Equal(ExpectedUser(session), userinfo[0]);
        return new SandboxSession(session, proxyUrl, userinfo[0], userinfo[1]);
    }

    /// <summary>The user of the session's credential: its own id, unless a fixture pools containers.</summary>
    protected virtual string ExpectedUser(Session session) => session.Id;

    private Task<SandboxSession>? _shared;

    /// <summary>One session allowed the upstream (127.0.0.1 and localhost on its port), shared by a class's cases.</summary>
    public Task<SandboxSession> Shared => _shared ??= NewSession($"127.0.0.1:{Upstream.Port}", $"localhost:{Upstream.Port}");

    /// <summary>A stub token for the session (TTL: the session's longest unless given).</summary>
    public async Task<string> Grant(string session, string resource = "echo", string action = "read", TimeSpan? ttl = null) =>
        (await Admin.Grants.RequestGrantAsync(new RequestGrantRequest
        {
            Session = session, Resource = resource, Action = action, Ttl = ttl is { } t ? Duration.FromTimeSpan(t) : null,
        })).Token;

    /// <summary>A request through the proxy, written byte for byte.</summary>
    public Task<RawResponse> Send(string request) => RawHttp.SendAsync(ProxyPort, request);

    /// <summary>An ordinary GET through the proxy to the upstream, with the session's credential.</summary>
    public Task<RawResponse> Get(SandboxSession session, string pathAndQuery = "/hello", string host = "127.0.0.1",
        string extraHeaders = "") =>
        Send($"GET http://{host}:{Upstream.Port}{pathAndQuery} HTTP/1.1\r\nHost: {host}:{Upstream.Port}\r\n"
            + $"Proxy-Authorization: {session.ProxyAuthorization}\r\n{extraHeaders}Connection: close\r\n\r\n");

    /// <summary>Any method to the plain upstream, with the session's credential, a body and extra header lines.</summary>
    public Task<RawResponse> Send(SandboxSession session, string method, string pathAndQuery, string extraHeaders = "", string body = "") =>
        Send($"{method} http://127.0.0.1:{Upstream.Port}{pathAndQuery} HTTP/1.1\r\nHost: 127.0.0.1:{Upstream.Port}\r\n"
            + $"Proxy-Authorization: {session.ProxyAuthorization}\r\n{extraHeaders}"
            + (body.Length > 0 || method is "POST" or "PUT" or "PATCH" ? $"Content-Length: {body.Length}\r\n" : "")
            + $"Connection: close\r\n\r\n{body}");

    public virtual async Task DisposeAsync()
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
