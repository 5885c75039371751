/*
 * mediasoup "libsrtp3" shim: the subset of the libsrtp v3 API that
 * mediasoup-worker uses (size_t lengths, separate in/out buffers,
 * srtp_stream_remove, srtp_err_status_buffer_small/cryptex_err), implemented
 * on top of Debian's libsrtp2 (v2 API: in-place buffers, int lengths).
 * The v3 functions are C++ overloads (different arity) of the v2 C functions.
 */
#ifndef MS_DEBIAN_LIBSRTP3_COMPAT_SRTP_H
#define MS_DEBIAN_LIBSRTP3_COMPAT_SRTP_H

#include <srtp2/srtp.h>

#ifdef __cplusplus
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>

#ifndef MS_SRTP2_HAS_BUFFER_SMALL
inline constexpr srtp_err_status_t srtp_err_status_buffer_small = static_cast<srtp_err_status_t>(28);
#endif
#ifndef MS_SRTP2_HAS_CRYPTEX_ERR
inline constexpr srtp_err_status_t srtp_err_status_cryptex_err = static_cast<srtp_err_status_t>(29);
#endif

namespace ms_srtp3_compat
{
	// mediasoup never configures MKIs, so the largest trailer libsrtp2 appends
	// is the auth tag (SRTP) or the SRTCP index + auth tag (SRTCP).
	inline constexpr size_t MaxRtpTrailer  = SRTP_MAX_TAG_LEN;
	inline constexpr size_t MaxRtcpTrailer = SRTP_MAX_TAG_LEN + 4;
} // namespace ms_srtp3_compat

inline srtp_err_status_t srtp_protect(
  srtp_t ctx, const uint8_t* rtp, size_t rtp_len, uint8_t* srtp, size_t* srtp_len, size_t mki_index)
{
	if (mki_index != 0)
		return srtp_err_status_bad_mki;
	if (rtp_len > static_cast<size_t>(INT_MAX) - ms_srtp3_compat::MaxRtpTrailer)
		return srtp_err_status_bad_param;
	if (*srtp_len < rtp_len + ms_srtp3_compat::MaxRtpTrailer)
		return srtp_err_status_buffer_small;
	if (srtp != rtp)
		std::memmove(srtp, rtp, rtp_len);

	int len                     = static_cast<int>(rtp_len);
	const srtp_err_status_t err = ::srtp_protect(ctx, static_cast<void*>(srtp), &len);

	if (err == srtp_err_status_ok)
		*srtp_len = static_cast<size_t>(len);

	return err;
}

inline srtp_err_status_t srtp_unprotect(
  srtp_t ctx, const uint8_t* srtp, size_t srtp_len, uint8_t* rtp, size_t* rtp_len)
{
	if (srtp_len > static_cast<size_t>(INT_MAX))
		return srtp_err_status_bad_param;
	if (*rtp_len < srtp_len)
		return srtp_err_status_buffer_small;
	if (rtp != srtp)
		std::memmove(rtp, srtp, srtp_len);

	int len                     = static_cast<int>(srtp_len);
	const srtp_err_status_t err = ::srtp_unprotect(ctx, static_cast<void*>(rtp), &len);

	if (err == srtp_err_status_ok)
		*rtp_len = static_cast<size_t>(len);

	return err;
}

inline srtp_err_status_t srtp_protect_rtcp(
  srtp_t ctx, const uint8_t* rtcp, size_t rtcp_len, uint8_t* srtcp, size_t* srtcp_len, size_t mki_index)
{
	if (mki_index != 0)
		return srtp_err_status_bad_mki;
	if (rtcp_len > static_cast<size_t>(INT_MAX) - ms_srtp3_compat::MaxRtcpTrailer)
		return srtp_err_status_bad_param;
	if (*srtcp_len < rtcp_len + ms_srtp3_compat::MaxRtcpTrailer)
		return srtp_err_status_buffer_small;
	if (srtcp != rtcp)
		std::memmove(srtcp, rtcp, rtcp_len);

	int len                     = static_cast<int>(rtcp_len);
	const srtp_err_status_t err = ::srtp_protect_rtcp(ctx, static_cast<void*>(srtcp), &len);

	if (err == srtp_err_status_ok)
		*srtcp_len = static_cast<size_t>(len);

	return err;
}

inline srtp_err_status_t srtp_unprotect_rtcp(
  srtp_t ctx, const uint8_t* srtcp, size_t srtcp_len, uint8_t* rtcp, size_t* rtcp_len)
{
	if (srtcp_len > static_cast<size_t>(INT_MAX))
		return srtp_err_status_bad_param;
	if (*rtcp_len < srtcp_len)
		return srtp_err_status_buffer_small;
	if (rtcp != srtcp)
		std::memmove(rtcp, srtcp, srtcp_len);

	int len                     = static_cast<int>(srtcp_len);
	const srtp_err_status_t err = ::srtp_unprotect_rtcp(ctx, static_cast<void*>(rtcp), &len);

	if (err == srtp_err_status_ok)
		*rtcp_len = static_cast<size_t>(len);

	return err;
}

// v3 renamed srtp_remove_stream() to srtp_stream_remove(); both take the SSRC
// in network byte order.
inline srtp_err_status_t srtp_stream_remove(srtp_t session, uint32_t ssrc)
{
	return ::srtp_remove_stream(session, ssrc);
}
#endif /* __cplusplus */

#endif /* MS_DEBIAN_LIBSRTP3_COMPAT_SRTP_H */
