using Microsoft.Extensions.Caching.Memory;

namespace Screening.Web.Hosting;

/// <summary>
/// Read models kept under the change stamp they were built at: an audit sequence number, read before anything
/// else of the model. Every change appends an audit entry, so a model whose stamp is still the current one is
/// current, on this node or any other; a read then costs one indexed lookup instead of rebuilding it. At most
/// <paramref name="capacity"/> models are kept; those least recently read go first.
/// </summary>
public sealed class StampedCache<TKey, TValue>(int capacity) : IDisposable
    where TKey : notnull
    where TValue : class
{
    private readonly MemoryCache _kept = new(new MemoryCacheOptions { SizeLimit = capacity });

    public TValue? Get(TKey key, long stamp) =>
        _kept.TryGetValue(key, out Kept? kept) && kept!.Stamp == stamp ? kept.Value : null;

    public void Set(TKey key, long stamp, TValue value) =>
        _kept.Set(key, new Kept(stamp, value), new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(10) });

    public void Dispose() => _kept.Dispose();

    private sealed record Kept(long Stamp, TValue Value);
}
