using System.Security.Cryptography;
using Orleans.Storage;

namespace AgentCluster.Grains.Fleet;

[GenerateSerializer]
public sealed class DeploymentState
{
    [Id(0)] public string? Id { get; set; }
}

/// <summary>Makes the id at its first call; a write that loses to another silo's takes the stored one.</summary>
public sealed class DeploymentGrain([PersistentState("deployment", StorageNames.Default)] IPersistentState<DeploymentState> state)
    : Grain, IDeploymentGrain
{
    public async Task<string> GetId()
    {
        if (state.State.Id is { } id)
            return id;
        state.State.Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        try
        {
            await state.WriteStateAsync();
        }
        catch (InconsistentStateException)
        {
            await state.ReadStateAsync();
            if (state.State.Id is null)
                throw;
        }
        return state.State.Id;
    }
}
