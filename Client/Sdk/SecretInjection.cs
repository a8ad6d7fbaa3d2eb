namespace AgentCluster.Client.Sdk;

/// <summary>The vocabulary of the credential broker, as secrets.proto and grants.proto define it.</summary>
public static class SecretInjection
{
    /// <summary>Where a header template takes the secret: <c>Bearer {secret}</c>.</summary>
    public const string Placeholder = "{secret}";

    /// <summary>The actions a secret serves and a grant asks for.</summary>
    public static readonly IReadOnlyList<string> Actions = ["read", "write", "delete"];
}
