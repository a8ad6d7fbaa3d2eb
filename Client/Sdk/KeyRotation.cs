namespace AgentCluster.Client.Sdk;

/// <summary>
/// The vault's active key after a rotation, how many secrets were re-encrypted under it, and the server's note
/// on what that means and what to do next (how to add a key, when none was moved).
/// </summary>
public sealed record KeyRotation(string KeyId, int Reencrypted, string Note);
