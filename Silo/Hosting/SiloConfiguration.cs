using System.Net;
using AgentCluster.Grains;
using AgentCluster.Grains.Hosting;
using AgentCluster.Silo.Storage;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace AgentCluster.Silo.Hosting;

internal static class SiloConfiguration
{
    /// <summary>
    /// Postgres gives a real cluster (membership, reminders and state in one database) over mutual
    /// TLS; sqlite is the embedded single node, so its clustering and reminders stay in-process
    /// and its ports on loopback.
    /// </summary>
    public static ISiloBuilder UseAgentCluster(
        this ISiloBuilder silo, AgentClusterOptions options, string connectionString, IConfiguration configuration)
    {
        var storage = options.Storage;
        var invariant = storage.AdoInvariant();

        if (storage.IsPostgres)
        {
            silo.UseAdoNetClustering(o => { o.Invariant = invariant; o.ConnectionString = connectionString; });
            silo.UseAdoNetReminderService(o => { o.Invariant = invariant; o.ConnectionString = connectionString; });
            silo.ConfigureEndpoints(
                IPAddress.Parse(options.AdvertisedAddress), options.Ports.Silo, options.Ports.Gateway,
                listenOnAnyHostAddress: options.ListenOnAnyAddress);
            silo.Configure<ClusterOptions>(o => { o.ClusterId = options.ClusterId; o.ServiceId = options.ServiceId; });
            // Throws rather than let a cluster start open to whatever reaches its ports.
            if (ClusterCertificates.ForCluster(options) is { } certificates)
                silo.UseClusterTls(certificates);
        }
        else
        {
            silo.UseLocalhostClustering(options.Ports.Silo, options.Ports.Gateway,
                serviceId: options.ServiceId, clusterId: options.ClusterId);
            silo.UseInMemoryReminderService();
        }

        // The storage's JSON reader, as every grain's state must read back: see GrainStateJson.
        GrainStateJson.AddTo(silo.Services);
        silo.AddAdoNetGrainStorage(StorageNames.Default, o =>
        {
            o.Invariant = invariant;
            o.ConnectionString = connectionString;
        });
        silo.Configure<ClusterMembershipOptions>(configuration.GetSection($"{AgentClusterOptions.Section}:Membership"));
        silo.Configure<SiloOptions>(o => o.SiloName = $"silo-{options.Ports.Silo}");
        WatchdogClock.UseForWatchdog(silo.Services);
        silo.AddDashboard();
        return silo;
    }
}
