// Torch's RNG and thread pool are process-wide: tests run one at a time so seeds stay meaningful and the
// shared 2-core machine is not oversubscribed.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
