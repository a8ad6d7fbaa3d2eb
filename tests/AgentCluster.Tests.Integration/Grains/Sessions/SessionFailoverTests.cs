using AgentCluster.Api.V1;
using AgentCluster.Grains.Sessions;
using AgentCluster.Tests.Integration.Infrastructure;
using Google.Protobuf.WellKnownTypes;

namespace AgentCluster.Tests.Integration.Grains.Sessions;

public sealed class SessionFailoverTests
{
    [Fact]
    public async Task Killing_the_silo_that_hosts_a_session_still_kills_its_container_by_the_deadline_and_it_reads_terminated()
    {
        await using var cluster = await PostgresFleetCluster.StartAsync("fo");
        using var api = cluster.Admin();
        var session = await api.Sessions.CreateSessionAsync(new CreateSessionRequest
        {
            Tenant = cluster.Tenant, Image = DockerHosts.Image, Ttl = Duration.FromTimeSpan(TimeSpan.FromSeconds(25)),
        });
        Assert.Equal("Ready", session.State);

        var victim = await cluster.HostOf((await cluster.ClientAsync()).Grains.GetGrain<ISessionGrain>(session.Id));
        victim.Kill();
        var survivor = cluster.Silos.First(s => s != victim);

        // Dead by the deadline plus the time to notice the dead silo and one reconcile interval.
        var endpoint = DockerHosts.Endpoints[int.Parse(session.Host[1..])];
        var until = session.Deadline.ToDateTime() + TimeSpan.FromSeconds(30);
        while ((await DockerHosts.Containers(endpoint, $"agentcluster.session={session.Id}")).Count > 0)
        {
            Assert.True(DateTime.UtcNow < until, "the container outlived its deadline after the silo loss");
            await Task.Delay(250);
        }

        using var viaSurvivor = cluster.Admin(survivor);
        var read = await Eventually(() => viaSurvivor.Sessions.GetSessionAsync(new GetSessionRequest { Id = session.Id }).ResponseAsync,
            s => s.State == "Terminated", TimeSpan.FromSeconds(90));
        Assert.Equal("Terminated", read.State);
    }

    private static async Task<T> Eventually<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan patience)
    {
        var until = DateTime.UtcNow + patience;
        while (true)
        {
            try
            {
                var value = await read();
                if (done(value) || DateTime.UtcNow > until)
                    return value;
            }
            catch (Grpc.Core.RpcException) when (DateTime.UtcNow < until)
            {
                // Unavailable while the cluster notices the dead silo.
            }
            await Task.Delay(500);
        }
    }
}
