using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace AgentCluster.Tests.Integration.Silo.Admin;

/// <summary>
/// Each port serves only its own endpoints, decided by the port the connection came in on. The
/// Host header (HTTP/2's :authority) is the client's to write, so it must not open the other port's.
/// </summary>
public sealed class ForgedHostTests(SqliteNodeFixture node) : IClassFixture<SqliteNodeFixture>
{
    /// <summary>Cleartext HTTP/2 with prior knowledge (the API port speaks nothing else), its :authority the given port's.</summary>
    private static HttpRequestMessage Forged(HttpMethod method, string url, int port)
    {
        var request = new HttpRequestMessage(method, url) { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        request.Headers.Host = $"127.0.0.1:{port}";
        return request;
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/metrics")]
    [InlineData("/dashboard/")]
    [InlineData("/approvals/")]
    [InlineData("/approvals/api/pending")]
    public async Task The_api_port_does_not_serve_admin_endpoints_whatever_the_host_header_says(string path)
    {
        using var http = new HttpClient();
        var request = Forged(HttpMethod.Get, node.Silo.ApiEndpoint + path, node.Silo.AdminPort);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + node.AdminKey)));

        var response = await http.SendAsync(request);

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.True(response.StatusCode == HttpStatusCode.NotFound,
            $"{path} on the API port with Host: 127.0.0.1:{node.Silo.AdminPort} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");

        // The same request on the admin port itself is served: the refusal above is the port's, not the path's.
        var own = new HttpRequestMessage(HttpMethod.Get, node.Silo.AdminEndpoint + path) { Headers = { Authorization = request.Headers.Authorization } };
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(own)).StatusCode);
    }

    [Fact]
    public async Task The_admin_port_does_not_route_to_the_grpc_api_whatever_the_host_header_says()
    {
        using var http = new HttpClient();
        // An empty Health/Check request: one uncompressed gRPC frame of length 0.
        HttpRequestMessage Check(string endpoint, Version version)
        {
            var request = Forged(HttpMethod.Post, endpoint + "/grpc.health.v1.Health/Check", node.Silo.ApiPort);
            request.Version = version;
            request.Content = new ByteArrayContent(new byte[5]) { Headers = { ContentType = new MediaTypeHeaderValue("application/grpc") } };
            request.Headers.TryAddWithoutValidation("te", "trailers");
            return request;
        }

        // The admin port speaks HTTP/1.1 in clear; a gRPC endpoint that matched would answer 426 (Upgrade Required).
        var forged = await http.SendAsync(Check(node.Silo.AdminEndpoint, HttpVersion.Version11));
        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);

        var own = await http.SendAsync(Check(node.Silo.ApiEndpoint, HttpVersion.Version20));
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        await own.Content.ReadAsByteArrayAsync();
        Assert.Equal("0", own.TrailingHeaders.GetValues("grpc-status").Single());
    }
}
