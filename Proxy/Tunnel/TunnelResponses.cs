using System.IO.Pipelines;
using System.Text;
using AgentCluster.Proxy.Forwarding;
using AgentCluster.Proxy.Identity;

namespace AgentCluster.Proxy.Tunnel;

/// <summary>The proxy's answers to a CONNECT, written on the raw connection (Kestrel's HTTP layer never sees it).</summary>
internal static class TunnelResponses
{
    public const string Established = "HTTP/1.1 200 Connection established\r\n\r\n";

    public static async Task Refuse(PipeWriter output, int status, string reasonPhrase, string code)
    {
        var challenge = status == 407 ? $"Proxy-Authenticate: {ProxyAuthorization.Challenge}\r\n" : "";
        var body = code + "\n";
        var text = $"HTTP/1.1 {status} {reasonPhrase}\r\n{challenge}{ProxyResponses.Header}: {code}\r\nCache-Control: no-store\r\n"
            + $"Content-Type: text/plain; charset=utf-8\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}";
        await output.WriteAsync(Encoding.Latin1.GetBytes(text));
        await output.FlushAsync();
    }
}
