using AgentCluster.ComputerProtocol;
using AgentCluster.Grains.Egress;
using AgentCluster.Grains.Fleet.Hosts;
using Microsoft.Extensions.Logging;

namespace AgentCluster.Grains.Computer;

/// <summary>The session's egress for its browser: sent over the channel, never through the container's environment.</summary>
public sealed partial class ComputerGrain
{
    public async Task<ComputerOutcome> Configure(string host, string containerId, ProxyCredential credential)
    {
        try
        {
            // A host with no sandbox network has no proxy: the forwarder then refuses everything, as it did.
            if (await (await Engine(host)).ProxyAddressAsync() is not { } address)
                return new(ComputerStatus.Done);
            var authority = await GrainFactory.GetGrain<IProxyAuthorityGrain>(IProxyAuthorityGrain.Key).Get();
            await (await Channel(host, containerId)).ConfigureEgressAsync(
                new SessionEgress(address, fleetOptions.Value.ProxyPort, credential, authority.CertificatePem));
            return new(ComputerStatus.Done);
        }
        catch (Exception e) when (e is ComputerChannelException or ComputerActionException)
        {
            logger.LogWarning("Session {Session}: the computer server in {Container} took no proxy settings: {Error}", Id, containerId, e.Message);
            return new(ComputerStatus.Unavailable, $"the computer server took no proxy settings: {e.Message}");
        }
    }
}
