using AgentCluster.Api.V1;
using AgentCluster.Tests.Integration.Infrastructure;

namespace AgentCluster.Tests.Integration.Proxy.Audit;

/// <summary>
/// What the proxy must have on record before it acts: an upstream that receives a real secret
/// looks in the audit table at that very moment, and the request's row must already be there.
/// </summary>
public sealed class DurableAuditTests(EgressNodeFixture node) : IClassFixture<EgressNodeFixture>
{
    [Fact]
    public async Task A_swapped_request_reaches_the_upstream_only_after_its_forwarded_row_is_committed()
    {
        await using var upstream = new ScriptedUpstream(node.UpstreamCertificates.Server);
        var target = $"127.0.0.1:{upstream.Port}";
        var session = await node.NewSession(target);
        var stub = (await node.Admin.Grants.RequestGrantAsync(new RequestGrantRequest { Session = session.Id, Resource = "echo", Action = "read" })).Token;
        var seenAtArrival = new List<bool>();
        upstream.Answer = async (request, stream) =>
        {
            var path = request.RequestLine.Split(' ')[1];
            var rows = await BrokerAudit.Rows(node.DataDir, node.Tenant);
            seenAtArrival.Add(rows.Any(r => r.Kind == "egress.forwarded" && r.Detail.Contains($"\"path\":\"{path}\"", StringComparison.Ordinal)));
            await ScriptedUpstream.WriteWhole(stream, "Content-Type: text/plain\r\n", "ok"u8.ToArray());
        };

        for (var i = 0; i < 3; i++)
        {
            var (tls, _) = await node.Connect(session, target, "127.0.0.1", node.ProxyCa());
            using (tls)
            {
                var (response, _) = await EgressNodeFixture.Exchange(tls,
                    $"GET /durable/{Guid.NewGuid():N} HTTP/1.1\r\nHost: {target}\r\nAuthorization: Bearer {stub}\r\nConnection: close\r\n\r\n");
                Assert.Equal(200, response.Status);
            }
        }

        Assert.Equal([true, true, true], seenAtArrival);
    }
}
