namespace AgentCluster.Client.Sdk;

/// <summary>
/// A secret's metadata, to store with its value (<see cref="SecretsClient.PutAsync"/>); the value is passed on its own,
/// so this record is safe to log. Injection is either <see cref="Header"/> with <see cref="Format"/> (a template with
/// <see cref="SecretInjection.Placeholder"/>), or <see cref="BasicUser"/>.
/// </summary>
public sealed record NewSecret(string Tenant, string Resource)
{
    /// <summary>read, write, delete: the grant actions it serves.</summary>
    public IReadOnlyList<string> Actions { get; init; } = [];

    /// <summary>Upstream hosts it may be sent to: exact names or <c>*.</c> suffixes.</summary>
    public IReadOnlyList<string> Hosts { get; init; } = [];

    /// <summary>The header to inject, e.g. <c>Authorization</c>.</summary>
    public string? Header { get; init; }

    /// <summary>The header's value, e.g. <c>Bearer {secret}</c>.</summary>
    public string? Format { get; init; }

    /// <summary>Basic auth instead of a header: the user name; the secret is the password.</summary>
    public string? BasicUser { get; init; }

    /// <summary>HTTP methods it may be sent with, narrowing what the actions allow; empty: no narrowing.</summary>
    public IReadOnlyList<string> Methods { get; init; } = [];

    /// <summary>Let the proxy swap it into plain-http requests, where it crosses the network in clear.</summary>
    public bool AllowPlainHttp { get; init; }
}
