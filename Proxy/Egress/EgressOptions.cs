namespace AgentCluster.Proxy.Egress;

/// <summary>The <c>AgentCluster:Egress</c> section: everything is denied unless said otherwise.</summary>
public sealed class EgressOptions
{
    public const string Section = "AgentCluster:Egress";

    /// <summary>
    /// CIDR ranges the address guard lets through although their class is refused (a test's
    /// loopback upstream, a deployment's internal registry). Empty by default. Cloud metadata
    /// addresses and the proxy itself stay refused whatever is listed here.
    /// </summary>
    public List<string> AllowedRanges { get; set; } = [];

    /// <summary>
    /// Also require the connection to come from the session's container address (a stolen
    /// credential is useless elsewhere). On by default; off only where the proxy cannot see the
    /// sandbox's own address (a test client on loopback).
    /// </summary>
    public bool RequireContainerAddress { get; set; } = true;

    /// <summary>
    /// How long the proxy reuses what a session or grant grain answered (a live session's policy,
    /// a grant's resolution, a request classified as a read). A kill, an allowlist change or a
    /// revocation reaches the proxy before it is acknowledged, whatever this says; this bounds only
    /// a proxy that missed such a notice. Zero: ask the grains on every request.
    /// </summary>
    public TimeSpan AnswerCacheTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Requests of one session in flight at once; more get 429.</summary>
    public int MaxConcurrentPerSession { get; set; } = 32;

    /// <summary>Sustained requests per second per session (a token bucket of <see cref="RequestBurst"/>); more get 429.</summary>
    public int RequestsPerSecond { get; set; } = 100;

    public int RequestBurst { get; set; } = 200;

    /// <summary>
    /// Requests per second from one source address, counted before authentication (a token bucket
    /// of <see cref="SourceRequestBurst"/>); more get 429. A sandbox is one source, so this sits
    /// well above the per-session rate.
    /// </summary>
    public int SourceRequestsPerSecond { get; set; } = 1000;

    public int SourceRequestBurst { get; set; } = 2000;

    /// <summary>
    /// Failed authentications per second from one source (a bucket of <see cref="SourceFailureBurst"/>).
    /// Past it, a credential with no live answer held is refused with 429 without asking the cluster.
    /// </summary>
    public int SourceFailuresPerSecond { get; set; } = 10;

    public int SourceFailureBurst { get; set; } = 50;

    /// <summary>
    /// A request that carries a swapped secret goes upstream only once its <c>egress.forwarded</c>
    /// row is committed (and is refused with 503 when it cannot be); how it ended follows as
    /// <c>egress.completed</c>. On by default: it costs a commit's wait per swapped request.
    /// </summary>
    public bool DurableSwapAudit { get; set; } = true;

    /// <summary>Denials of callers nobody can be named for are audited as one row per source per this interval, with their count.</summary>
    public TimeSpan UnauthenticatedAuditInterval { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan UpstreamConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest an upstream may stay silent, reading or writing, before the request fails with 504.</summary>
    public TimeSpan UpstreamActivityTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often an open CONNECT tunnel asks whether its session is still live (a kill cuts it within this).</summary>
    public TimeSpan TunnelRecheck { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A client has this long to send its request headers (slow clients).</summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A kept-alive client connection with no request closes after this.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    public int MaxRequestHeadersBytes { get; set; } = 32 * 1024;

    /// <summary>Headers whose stub token (<c>agc_…</c>) is swapped for the real credential; a stub anywhere else refuses the request.</summary>
    public List<string> StubHeaders { get; set; } = ["Authorization"];

    /// <summary>A request body is read whole before anything goes upstream; a larger one gets 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// Where the proxy writes the deployment's proxy CA certificate (PEM, public part only) at
    /// start, for sandbox images to trust. Unset: not written.
    /// </summary>
    public string? CaCertificateFile { get; set; }

    /// <summary>
    /// A PEM file of CA certificates trusted for intercepted upstreams besides the system's (a
    /// test's own CA, a deployment's internal CA). Unset: the system trust store only.
    /// </summary>
    public string? UpstreamTrustedCaFile { get; set; }
}
