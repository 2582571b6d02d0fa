#pragma once
// trader::result<T, E>: a value or the error that prevented it — the one return type of
// every fallible call below the actors (net, the Coinbase adapter, the store, parsers and
// validators). The subset of C++23's std::expected the project needs (g++ 12 has no
// <expected>), plus and_then / transform to chain steps without an `if (!r) return
// r.error();` per line. Inside actors errors stay caf::error (STYLE.md "Errors"); the
// adapters convert at the boundary. No CAF, header only.

#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

namespace trader {

template <class T, class E>
class result;

/// An error tagged for construction where T and E could be confused
/// (`result<std::string, std::string> r = fail("why");`).
template <class E>
struct failure {
  E error;  ///< The error to hold.
};

/// Tags e as the error of a result.
template <class E>
failure<std::decay_t<E>> fail(E&& e) {
  return {std::forward<E>(e)};
}

namespace detail {
template <class R>
struct is_result : std::false_type {};
template <class T, class E>
struct is_result<result<T, E>> : std::true_type {};
/// The result<U, E> a transform's function maps onto (U may be void).
template <class U, class E>
using transformed = result<std::remove_cvref_t<U>, E>;
} // namespace detail

/// Either a T or the E that prevented it. Implicitly built from a T, from an E (when the
/// types differ), or from fail(e).
template <class T, class E>
class [[nodiscard]] result {
public:
  using value_type = T;
  using error_type = E;

  /// A value.
  result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  /// An error (when T is E, only fail(e) makes one).
  result(E error) requires(!std::is_same_v<T, E>) : v_(std::in_place_index<1>, std::move(error)) {}
  /// An error given through fail().
  template <class G>
    requires std::is_constructible_v<E, G>
  result(failure<G> f) : v_(std::in_place_index<1>, std::move(f.error)) {}

  /// True when a value is held.
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  /// The value; only valid when ok().
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  /// The value, or fallback when this holds an error.
  template <class U>
  T value_or(U&& fallback) const& {
    return ok() ? value() : static_cast<T>(std::forward<U>(fallback));
  }

  /// The error; only valid when !ok().
  E& error() & { return std::get<1>(v_); }
  const E& error() const& { return std::get<1>(v_); }
  E&& error() && { return std::get<1>(std::move(v_)); }

  /// f(value) when ok (f returns a result<U, E>), else this error.
  template <class F>
  auto and_then(F&& f) & { return and_then_impl(*this, std::forward<F>(f)); }
  template <class F>
  auto and_then(F&& f) const& { return and_then_impl(*this, std::forward<F>(f)); }
  template <class F>
  auto and_then(F&& f) && { return and_then_impl(std::move(*this), std::forward<F>(f)); }

  /// result<U, E>{f(value)} when ok (U may be void), else this error.
  template <class F>
  auto transform(F&& f) & { return transform_impl(*this, std::forward<F>(f)); }
  template <class F>
  auto transform(F&& f) const& { return transform_impl(*this, std::forward<F>(f)); }
  template <class F>
  auto transform(F&& f) && { return transform_impl(std::move(*this), std::forward<F>(f)); }

private:
  template <class Self, class F>
  static auto and_then_impl(Self&& self, F&& f) {
    using R = std::remove_cvref_t<decltype(f(std::forward<Self>(self).value()))>;
    static_assert(detail::is_result<R>::value, "and_then: f must return a result");
    static_assert(std::is_same_v<typename R::error_type, E>, "and_then: f must keep the error type");
    if (!self.ok())
      return R(failure<E>{std::forward<Self>(self).error()});
    return f(std::forward<Self>(self).value());
  }
  template <class Self, class F>
  static auto transform_impl(Self&& self, F&& f) {
    using U = decltype(f(std::forward<Self>(self).value()));
    using R = detail::transformed<U, E>;
    if (!self.ok())
      return R(failure<E>{std::forward<Self>(self).error()});
    if constexpr (std::is_void_v<U>) {
      f(std::forward<Self>(self).value());
      return R();
    } else {
      return R(f(std::forward<Self>(self).value()));
    }
  }

  std::variant<T, E> v_;
};

/// Success, or the E that prevented it.
template <class E>
class [[nodiscard]] result<void, E> {
public:
  using value_type = void;
  using error_type = E;

  /// Success.
  result() = default;
  /// An error.
  result(E error) : err_(std::move(error)) {}
  /// An error given through fail().
  template <class G>
    requires std::is_constructible_v<E, G>
  result(failure<G> f) : err_(std::in_place, std::move(f.error)) {}

  /// True on success.
  bool ok() const { return !err_.has_value(); }
  explicit operator bool() const { return ok(); }

  /// The error; only valid when !ok().
  E& error() & { return *err_; }
  const E& error() const& { return *err_; }
  E&& error() && { return std::move(*err_); }

  /// f() when ok (f returns a result<U, E>), else this error.
  template <class F>
  auto and_then(F&& f) const& {
    using R = std::remove_cvref_t<decltype(f())>;
    static_assert(detail::is_result<R>::value, "and_then: f must return a result");
    static_assert(std::is_same_v<typename R::error_type, E>, "and_then: f must keep the error type");
    if (!ok())
      return R(failure<E>{*err_});
    return f();
  }

  /// result<U, E>{f()} when ok (U may be void), else this error.
  template <class F>
  auto transform(F&& f) const& {
    using U = decltype(f());
    using R = detail::transformed<U, E>;
    if (!ok())
      return R(failure<E>{*err_});
    if constexpr (std::is_void_v<U>) {
      f();
      return R();
    } else {
      return R(f());
    }
  }

private:
  std::optional<E> err_;
};

} // namespace trader
