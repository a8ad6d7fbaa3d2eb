namespace AgentCluster.Client.Sdk;

/// <summary>Whether a key can travel in an HTTP/2 header as-is.</summary>
public static class ApiKeyFormat
{
    // Checked up front so that a malformed key fails with our message, not one from the
    // HTTP stack, which may quote the header value and so leak the key.
    public static bool IsSendable(string apiKey) =>
        apiKey.Length > 0 && apiKey.All(c => c is > ' ' and <= '~');
}
