using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Text;
using AgentCluster.Proxy.Pipeline;
using AgentCluster.Proxy.Tunnel;

namespace AgentCluster.Tests.Unit.Proxy.Tunnel;

/// <summary>A CONNECT's refusals, written on the raw connection exactly as the tunnel always wrote them.</summary>
public sealed class ConnectExchangeTests
{
    [Theory]
    [InlineData(400, "Bad Request", "bad-request")]
    [InlineData(403, "Forbidden", "denied")]
    [InlineData(429, "Too Many Requests", "rate-limited")]
    public async Task A_refusal_is_the_status_line_the_opaque_code_and_a_close(int status, string phrase, string code)
    {
        var text = await Answered(new EgressRefusal(status, code, "the real reason"));
        Assert.Equal($"HTTP/1.1 {status} {phrase}\r\nX-AgentCluster-Egress: {code}\r\nCache-Control: no-store\r\n"
            + $"Content-Type: text/plain; charset=utf-8\r\nContent-Length: {code.Length + 1}\r\nConnection: close\r\n\r\n{code}\n", text);
    }

    [Fact]
    public async Task A_407_carries_the_challenge()
    {
        var text = await Answered(EgressRefusal.ProxyAuthRequired("no-credential"));
        Assert.StartsWith("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"agentcluster-egress\"\r\n", text);
        Assert.DoesNotContain("no-credential", text);
    }

    [Fact]
    public void A_head_that_did_not_parse_is_a_bad_request_still_attributed_to_its_credential()
    {
        using var exchange = new ConnectExchange(null, "not a CONNECT request line", "Basic abc", IPAddress.Loopback, new Pipe().Writer,
            Stopwatch.GetTimestamp(), CancellationToken.None);
        Assert.Equal(EgressRefusal.BadRequest("bad-connect: not a CONNECT request line"), exchange.ShapeRefusal());
        Assert.Equal("Basic abc", exchange.ProxyAuthorization.ToString());
        Assert.Null(exchange.Target);
    }

    [Fact]
    public void A_connect_is_audited_as_CONNECT_to_its_target_with_no_path()
    {
        using var exchange = Pipeline.Exchanges.Connect("api.example.com:443");
        Assert.Null(exchange.ShapeRefusal());
        var decision = exchange.Decision(200, 5, 6, "tunnelled", "");
        Assert.Equal(("CONNECT", "api.example.com", 443, "", 5L, 6L), (decision.Method, decision.Host, decision.Port, decision.Path, decision.BytesIn, decision.BytesOut));
    }

    private static async Task<string> Answered(EgressRefusal refusal)
    {
        var pipe = new Pipe();
        using var exchange = new ConnectExchange(null, "x", default, null, pipe.Writer, Stopwatch.GetTimestamp(), CancellationToken.None);
        await exchange.Answer(refusal);
        await pipe.Writer.CompleteAsync();
        var read = await pipe.Reader.ReadAsync();
        return Encoding.Latin1.GetString(read.Buffer.ToArray());
    }
}
