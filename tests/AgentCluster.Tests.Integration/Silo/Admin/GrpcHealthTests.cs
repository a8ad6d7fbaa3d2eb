using Grpc.Health.V1;
using Grpc.Net.Client;

namespace AgentCluster.Tests.Integration.Silo.Admin;

public sealed class GrpcHealthTests(SqliteNodeFixture node) : IClassFixture<SqliteNodeFixture>
{
    [Fact]
    public async Task The_standard_grpc_health_service_answers_serving_without_a_key()
    {
        using var channel = GrpcChannel.ForAddress(node.Silo.ApiEndpoint);
        var reply = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
    }
}
