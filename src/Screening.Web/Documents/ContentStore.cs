using System.Buffers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Screening.Web.Hosting;

namespace Screening.Web.Documents;

/// <summary>
/// Where document content lives, named by its SHA-256 (decision 0017): the same bytes are kept once, and a
/// name says what the content is. Content is staged first (written while hashed), judged, and only then put.
/// </summary>
public interface IContentStore
{
    /// <summary>Copies content to a staging file while hashing it; null, with nothing kept, when it is longer than <paramref name="maxBytes"/>.</summary>
    Task<StagedContent?> StageAsync(Stream content, long maxBytes, CancellationToken cancellationToken);

    /// <summary>Moves staged content into the store under its hash; true when the store did not hold that content yet.</summary>
    Task<bool> PutAsync(StagedContent staged, CancellationToken cancellationToken);

    /// <summary>The content with this hash, or null when the store does not hold it.</summary>
    Task<Stream?> OpenAsync(string sha256, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(string sha256, CancellationToken cancellationToken);

    Task DeleteAsync(string sha256, CancellationToken cancellationToken);

    /// <summary>Every hash the store holds (for backups).</summary>
    IAsyncEnumerable<string> ListAsync(CancellationToken cancellationToken);
}

/// <summary>Content written to a staging file and hashed; the file is deleted on disposal unless it was put in the store.</summary>
public sealed class StagedContent(string path, string sha256, long length) : IDisposable
{
    public string Path { get; } = path;

    public string Sha256 { get; } = sha256;

    public long Length { get; } = length;

    public Stream OpenRead() => new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);

    public void Dispose()
    {
        if (File.Exists(Path))
        {
            File.Delete(Path);
        }
    }
}

/// <summary>
/// The content store in a folder (by default <c>documents</c> under the data directory): <c>ab/abcdef…</c>, one
/// file per hash, and a <c>.staging</c> folder beside them on the same disk, so putting is a rename.
/// </summary>
public sealed class FileSystemContentStore : IContentStore
{
    private const int BufferSize = 80 * 1024;
    private const string Staging = ".staging";

    public FileSystemContentStore(IOptions<ScreeningOptions> options)
    {
        var value = options.Value;
        Root = System.IO.Path.GetFullPath(value.Documents.Path ?? System.IO.Path.Combine(value.DataDirectory, "documents"));
        Directory.CreateDirectory(System.IO.Path.Combine(Root, Staging));
        // Staging files of a process that died mid-upload; a live upload's file is minutes old at most.
        foreach (var stale in Directory.EnumerateFiles(System.IO.Path.Combine(Root, Staging)).Where(f => File.GetLastWriteTimeUtc(f) < DateTime.UtcNow.AddHours(-1)))
        {
            File.Delete(stale);
        }
    }

    public string Root { get; }

    public string StagingDirectory => System.IO.Path.Combine(Root, Staging);

    public async Task<StagedContent?> StageAsync(Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        var path = System.IO.Path.Combine(StagingDirectory, Guid.NewGuid().ToString("N"));
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long length = 0;
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous))
            {
                int read;
                while ((read = await content.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
                {
                    length += read;
                    if (length > maxBytes)
                    {
                        file.Close();
                        File.Delete(path);
                        return null;
                    }

                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                await file.FlushAsync(cancellationToken);
                // On disk before the row that names it commits (the database commits with synchronous=FULL).
                file.Flush(flushToDisk: true);
            }

            return new StagedContent(path, Convert.ToHexStringLower(hash.GetHashAndReset()), length);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public Task<bool> PutAsync(StagedContent staged, CancellationToken cancellationToken)
    {
        var target = PathOf(staged.Sha256);
        if (File.Exists(target))
        {
            staged.Dispose();
            return Task.FromResult(false);
        }

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
        try
        {
            File.Move(staged.Path, target, overwrite: false);
            return Task.FromResult(true);
        }
        catch (IOException) when (File.Exists(target))
        {
            // Another upload of the same bytes got there first: the store holds them either way.
            staged.Dispose();
            return Task.FromResult(false);
        }
    }

    public Task<Stream?> OpenAsync(string sha256, CancellationToken cancellationToken)
    {
        var path = PathOf(sha256);
        Stream? stream = File.Exists(path)
            ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan)
            : null;
        return Task.FromResult(stream);
    }

    public Task<bool> ExistsAsync(string sha256, CancellationToken cancellationToken) => Task.FromResult(File.Exists(PathOf(sha256)));

    public Task DeleteAsync(string sha256, CancellationToken cancellationToken)
    {
        File.Delete(PathOf(sha256));
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<string> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask;
        foreach (var directory in Directory.EnumerateDirectories(Root).Where(d => IsHex(System.IO.Path.GetFileName(d), 2)))
        {
            foreach (var file in Directory.EnumerateFiles(directory))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var name = System.IO.Path.GetFileName(file);
                if (IsHex(name, 64))
                {
                    yield return name;
                }
            }
        }
    }

    /// <summary>The file of a hash; anything but 64 lower-case hex digits is refused, so no name leaves the folder.</summary>
    public string PathOf(string sha256) =>
        IsHex(sha256, 64) ? System.IO.Path.Combine(Root, sha256[..2], sha256) : throw new ArgumentException("Not a SHA-256 in lower-case hex.", nameof(sha256));

    private static bool IsHex(string text, int length) => text.Length == length && text.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
