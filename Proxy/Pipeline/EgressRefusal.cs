namespace AgentCluster.Proxy.Pipeline;

/// <summary>
/// Why a step stopped an exchange: the status and the opaque code the sandbox sees, and the real
/// reason, which only the audit gets.
/// </summary>
public sealed record EgressRefusal(int Status, string Code, string Reason)
{
    public static EgressRefusal Denied(string reason) => new(StatusCodes.Status403Forbidden, "denied", reason);

    public static EgressRefusal BadRequest(string reason) => new(StatusCodes.Status400BadRequest, "bad-request", reason);

    /// <summary>The only thing said to a caller the proxy does not know; the challenge goes with it.</summary>
    public static EgressRefusal ProxyAuthRequired(string reason) =>
        new(StatusCodes.Status407ProxyAuthenticationRequired, "proxy-auth-required", reason);
}
