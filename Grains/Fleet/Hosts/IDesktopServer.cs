namespace AgentCluster.Grains.Fleet.Hosts;

/// <summary>
/// What the warm pool asks of a desktop's computer server, through the engine's attach (a seam,
/// so that the pool's sequences are tested without a desktop). Each call attaches, asks and
/// detaches: nothing stays attached to a paused container.
/// </summary>
public interface IDesktopServer
{
    /// <summary>Returns once the server answers and the browser's window is on its screen; throws otherwise.</summary>
    Task WaitForBrowserAsync(IDockerEngine engine, string containerId, CancellationToken ct = default);

    /// <summary>
    /// Hands a claimed desktop its session, over one attach: the egress (the proxy on this host, the
    /// session's credential and the proxy CA; null on a host without a proxy) and the first page, if any.
    /// </summary>
    Task StartSessionAsync(IDockerEngine engine, string containerId, SessionEgress? egress, string? firstPage, CancellationToken ct = default);
}

/// <summary>A session's way out as its desktop gets it: the proxy's address and port on the host, its credential, the CA (PEM) the proxy signs with.</summary>
public sealed record SessionEgress(string ProxyAddress, int ProxyPort, Egress.ProxyCredential Credential, string? CaCertificatePem)
{
    // A record prints its members; this one must never print the secret.
    public override string ToString() => $"SessionEgress {{ Proxy = {ProxyAddress}:{ProxyPort}, User = {Credential.User} }}";
}
