namespace AgentCluster.Grains.Egress;

/// <summary>
/// The egress credential of one warm-pool container, keyed by its id (<see cref="PooledCredentials"/>).
/// A paused container's environment cannot change, so its <c>HTTP_PROXY</c> carries this id and a
/// secret from birth; the credential opens nothing until a claim binds it, once, to the claiming
/// session, and from then on only what that session's own credential would.
/// </summary>
[Alias("AgentCluster.Grains.Egress.IPooledCredentialGrain")]
public interface IPooledCredentialGrain : IGrainWithStringKey
{
    /// <summary>Made before its container: false when the id is taken (nothing changes then).</summary>
    [Alias("Issue")]
    Task<bool> Issue(string secretHash, DateTimeOffset expires);

    /// <summary>
    /// Binds it to the session, once and for good: the secret's hash, for the session to check the
    /// proxy's answers against; null when it is unknown, expired or bound already.
    /// </summary>
    [Alias("Bind")]
    Task<string?> Bind(string sessionId, string tenant);

    /// <summary>The session it is bound to; null before the claim, after it expired, or when unknown.</summary>
    [Alias("BoundSession")]
    Task<string?> BoundSession();
}
