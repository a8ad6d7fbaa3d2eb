// Every fleet test reconciles the same two engines, and a reconcile kills containers its own
// cluster does not claim: test classes that run at once would kill each other's sandboxes.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
