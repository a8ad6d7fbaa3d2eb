using AgentCluster.Api.V1;
using AgentCluster.Client.Sdk;

namespace AgentCluster.Tests.Integration.Infrastructure;

/// <summary>The generated gRPC clients over one authenticated SDK connection.</summary>
public sealed class ApiClients(string endpoint, string? apiKey) : IDisposable
{
    private readonly AgentClusterConnection _connection =
        AgentClusterConnection.Open(new AgentClusterConnectionOptions { Endpoint = new Uri(endpoint), ApiKey = apiKey });

    /// <summary>The key these clients call with, for running agentctl as the same caller.</summary>
    public string? ApiKey => apiKey;

    public TenantService.TenantServiceClient Tenants => new(_connection.CallInvoker);

    public KeyService.KeyServiceClient Keys => new(_connection.CallInvoker);

    public ClusterService.ClusterServiceClient Cluster => new(_connection.CallInvoker);

    public SessionService.SessionServiceClient Sessions => new(_connection.CallInvoker);

    public HostService.HostServiceClient Hosts => new(_connection.CallInvoker);

    public SecretService.SecretServiceClient Secrets => new(_connection.CallInvoker);

    public GrantService.GrantServiceClient Grants => new(_connection.CallInvoker);

    public ActionService.ActionServiceClient Actions => new(_connection.CallInvoker);

    public ApprovalService.ApprovalServiceClient Approvals => new(_connection.CallInvoker);

    public ComputerService.ComputerServiceClient Computer => new(_connection.CallInvoker);

    /// <summary>Waits until every test engine is a Healthy host: hosts take no work before their first check.</summary>
    public async Task WaitForHealthyHostsAsync(int count)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((await Hosts.ListHostsAsync(new ListHostsRequest())).Hosts is var hosts && hosts.Count(h => h.Health == "Healthy") < count)
        {
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"fewer than {count} hosts became healthy: "
                    + string.Join("; ", hosts.Select(h => $"{h.Name} {h.Health} {h.LastError}")));
            await Task.Delay(200);
        }
    }

    public void Dispose() => _connection.Dispose();
}
