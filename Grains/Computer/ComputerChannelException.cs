namespace AgentCluster.Grains.Computer;

/// <summary>The computer server could not be reached, dropped the channel, or did not answer in time.</summary>
public sealed class ComputerChannelException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The computer server refused or failed an action; <see cref="Code"/> is a ComputerErrorCodes value.</summary>
public sealed class ComputerActionException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
