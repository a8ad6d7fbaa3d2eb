namespace AgentCluster.Tests.Integration.Infrastructure;

/// <summary>Shell a sandbox runs (docker exec) to speak HTTP as its agent would, through its own HTTP_PROXY.</summary>
public static class SandboxShell
{
    /// <summary>
    /// A GET to the loopback upstream through the proxy and credential of the sandbox's own
    /// environment, with the stub in Authorization. Debian's static busybox wget crashes on this
    /// machine; nc and the shell speak HTTP well enough. busybox nc quits at the end of its input,
    /// so the input stays open until the answer is in.
    /// </summary>
    public static string GetThroughOwnProxy(int upstreamPort, string path, string stub) =>
        "p=${HTTP_PROXY#http://}; cred=${p%@*}; hp=${p#*@}; auth=$(printf %s \"$cred\" | base64 | tr -d '\\n'); "
        + $"(printf 'GET http://127.0.0.1:{upstreamPort}{path} HTTP/1.1\\r\\nHost: 127.0.0.1:{upstreamPort}\\r\\n"
        + $"Proxy-Authorization: Basic %s\\r\\nAuthorization: Bearer {stub}\\r\\nConnection: close\\r\\n\\r\\n' \"$auth\"; sleep 5) "
        + "| nc -w 10 \"${hp%:*}\" \"${hp##*:}\"";
}
