using System.Net;
using System.Net.NetworkInformation;
using AgentCluster.Proxy.Approvals;
using AgentCluster.Proxy.Audit;
using AgentCluster.Proxy.Credentials;
using AgentCluster.Proxy.Egress;
using AgentCluster.Proxy.Egress.Addresses;
using AgentCluster.Proxy.Forwarding;
using AgentCluster.Proxy.Identity;
using AgentCluster.Proxy.Interception;
using AgentCluster.Proxy.Leases;
using AgentCluster.Proxy.Limits;
using AgentCluster.Proxy.Pipeline;
using AgentCluster.Proxy.Pipeline.Steps;
using AgentCluster.Proxy.Tunnel;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AgentCluster.Proxy.Hosting;

internal static class EgressServices
{
    /// <summary>The egress pipeline's parts, configured from <c>AgentCluster:Egress</c>; a bad setting fails the start.</summary>
    /// <param name="clusterPorts">The deployment's own ports, which no allowed range opens on this machine.</param>
    public static IServiceCollection AddEgress(this IServiceCollection services, EgressOptions options, HttpGateOptions gate, IPEndPoint listen,
        IEnumerable<int> clusterPorts)
    {
        services.AddHttpForwarder();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton(new AddressGuard(options.AllowedRanges, SelfEndpoints(listen), clusterPorts, MachineAddresses()));
        services.AddSingleton(sp => new TargetResolver(sp.GetRequiredService<AddressGuard>()));
        services.AddSingleton(CheckedConnections.Create(options));
        services.AddSingleton<LeasedAnswers>();
        services.AddSingleton<ProxyRegistration>();
        services.AddHostedService(sp => sp.GetRequiredService<ProxyRegistration>());
        services.AddSingleton<PooledBindings>();
        services.AddSingleton<SessionAuthenticator>();
        services.AddSingleton<ActivityTouches>();
        services.AddSingleton<StubSwap>();
        services.AddSingleton<SessionLimits>();
        services.AddSingleton<SourceLimits>();
        services.AddSingleton(new HttpActionRules([.. gate.Rules, .. HttpGateOptions.BuiltIn]));
        services.AddSingleton(gate);
        services.AddSingleton<IRequestGate>(sp => ActivatorUtilities.CreateInstance<HttpApprovalGate>(sp, gate.Shown(options.StubHeaders)));
        services.AddSingleton<UnauthenticatedDenials>();
        services.AddHostedService(sp => sp.GetRequiredService<UnauthenticatedDenials>());
        services.AddSingleton<EgressAudit>();
        services.AddHostedService(sp => sp.GetRequiredService<EgressAudit>());
        services.AddSingleton<EgressForward>();
        services.AddSingleton<IdentityStep>();
        services.AddSingleton<ShapeStep>();
        services.AddSingleton<LimitsStep>();
        services.AddSingleton<AllowlistStep>();
        services.AddSingleton<AddressStep>();
        services.AddSingleton<BodyStep>();
        services.AddSingleton<CredentialStep>();
        services.AddSingleton<ReleaseCheck>();
        services.AddSingleton<UpgradeStep>();
        services.AddSingleton<GateStep>();
        services.AddSingleton<EgressSteps>();
        services.AddSingleton<EgressPipeline>();
        services.AddSingleton<TlsInterception>();
        services.AddSingleton<ConnectTunnel>();

        services.AddSingleton<ProxyCaStartup>();
        services.AddHostedService(sp => sp.GetRequiredService<ProxyCaStartup>());
        return services;
    }

    /// <summary>Where the proxy itself answers: an any-address listener answers on every local address.</summary>
    private static IEnumerable<IPEndPoint> SelfEndpoints(IPEndPoint listen) =>
        listen.Address.Equals(IPAddress.Any) || listen.Address.Equals(IPAddress.IPv6Any)
            ? MachineAddresses().Select(a => new IPEndPoint(a, listen.Port))
            : [listen];

    private static IEnumerable<IPAddress> MachineAddresses() =>
        NetworkInterface.GetAllNetworkInterfaces().SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(a => a.Address);
}
