namespace AgentCluster.Grains.Credentials;

/// <summary>
/// One per stub token, keyed by the SHA-256 of the token (never the token), so no grain id,
/// dashboard or storage row holds a usable token.
/// </summary>
[Alias("AgentCluster.Grains.Credentials.IGrantGrain")]
public interface IGrantGrain : IGrainWithStringKey
{
    [Alias("Issue")]
    Task Issue(GrantRecord grant);

    /// <summary>
    /// The headers to inject, only for its own live session, before expiry and revocation, for a
    /// bound host, for methods the grant's action (and the secret) allow, and over TLS unless the
    /// secret opts in to plain HTTP.
    /// </summary>
    [Alias("ResolveUse")]
    Task<GrantResolution> Resolve(GrantUse use);

    /// <summary>Idempotent; the reason (e.g. session-ended) is what later resolves are audited with.</summary>
    [Alias("Revoke")]
    Task<bool> Revoke(string reason);
}
