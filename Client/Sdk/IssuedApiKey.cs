namespace AgentCluster.Client.Sdk;

/// <summary>A freshly created key together with its secret, which the server never returns again.</summary>
public sealed record IssuedApiKey(ApiKeyInfo Key, string Secret)
{
    // The compiler-generated ToString would print the secret into any log or debugger view.
    public override string ToString() => $"IssuedApiKey {{ Key = {Key}, Secret = *** }}";
}
